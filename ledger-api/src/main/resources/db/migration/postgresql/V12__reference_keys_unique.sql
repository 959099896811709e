-- The normalized keys filled by V11 carry the rules from now on (NULL keys, of older duplicates, are not compared).
CREATE UNIQUE INDEX invoice_payment_key_idx ON invoice_payment (legal_identity, invoice_key);
CREATE UNIQUE INDEX contract_binding_key_idx ON contract_binding (province, provider_id, contract_key);
