package org.subsidyledger.core.support;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.registry.RegistryEvent;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * An in-memory {@link LedgerIndex} for tests: seeded directly ({@link #accredit}, {@link #register}) or fed the
 * events of the log ({@link #on}), as the application's database-backed index is.
 */
public final class TestLedgerIndex implements LedgerIndex {
    private final Map<ProviderId, ProviderRecord> providers = new ConcurrentHashMap<>();
    private final Map<FilingNo, ModelRecord> models = new ConcurrentHashMap<>();
    private final Map<ContractKey, VoucherId> contracts = new ConcurrentHashMap<>();
    private final Set<InvoiceKey> invoices = ConcurrentHashMap.newKeySet();
    private final Set<LeaseMonthKey> leaseMonths = ConcurrentHashMap.newKeySet();
    /** (legal identity, kind) → the provider id that holds it. */
    private final Map<String, ProviderId> identities = new ConcurrentHashMap<>();

    private final Map<String, String> groups = new ConcurrentHashMap<>();
    private final Set<VoucherId> voucherIds = ConcurrentHashMap.newKeySet();
    private final Set<GrantId> grantIds = ConcurrentHashMap.newKeySet();

    public TestLedgerIndex accredit(ProviderId providerId, ProviderKind kind, String id, String group) {
        providers.put(providerId, new ProviderRecord(providerId, kind, id, group, "CN", true));
        identities.putIfAbsent(ProviderRecord.legalIdentity("CN", id) + "/" + kind, providerId);
        return this;
    }

    public TestLedgerIndex withdraw(ProviderId providerId) {
        providers.computeIfPresent(
                providerId,
                (k, p) -> new ProviderRecord(p.providerId(), p.kind(), p.id(), p.group(), p.country(), false));
        return this;
    }

    public TestLedgerIndex register(FilingNo filingNo, ProviderId vendorId) {
        models.put(filingNo, new ModelRecord(filingNo, vendorId, true));
        return this;
    }

    public TestLedgerIndex bindContract(ContractKey contract, VoucherId voucherId) {
        contracts.put(contract, voucherId);
        return this;
    }

    public TestLedgerIndex payInvoice(InvoiceKey invoice) {
        invoices.add(invoice);
        return this;
    }

    public TestLedgerIndex bindGroup(String province, String beneficiaryId, String group) {
        groups.put(province + "/" + beneficiaryId, group);
        return this;
    }

    /** Indexes one event of the log, as the application's index does in the appending transaction. */
    public void on(Object event) {
        if (event instanceof RegistryEvent registryEvent) {
            onRegistry(registryEvent);
        } else if (event instanceof VoucherIssued issued) {
            voucherIds.add(issued.voucherId());
            if (issued.corporateGroup() != null) {
                groups.putIfAbsent(
                        issued.province() + "/" + issued.beneficiary().id(), issued.corporateGroup());
            }
        } else if (event instanceof HousingEvent.HousingSubsidyGranted granted) {
            grantIds.add(granted.grantId());
        } else if (event instanceof Redeemed r) {
            contracts.putIfAbsent(new ContractKey(r.province(), r.providerId(), r.contractRef()), r.voucherId());
            invoices.add(new InvoiceKey(providers.get(r.providerId()).legalIdentity(), r.invoiceRef()));
        } else if (event instanceof HousingEvent.HousingSubsidyPaid p) {
            leaseMonths.add(new LeaseMonthKey(p.leaseRef(), p.month()));
        }
    }

    private void onRegistry(RegistryEvent event) {
        if (event instanceof ProviderAccredited a) {
            providers.put(
                    a.providerId(), new ProviderRecord(a.providerId(), a.kind(), a.id(), a.group(), a.country(), true));
            identities.putIfAbsent(ProviderRecord.legalIdentity(a.country(), a.id()) + "/" + a.kind(), a.providerId());
        } else if (event instanceof ProviderAccreditationWithdrawn w) {
            withdraw(w.providerId());
        } else if (event instanceof ModelRegistered m) {
            models.put(m.filingNo(), new ModelRecord(m.filingNo(), m.vendorId(), true));
        } else if (event instanceof ModelDeregistered d) {
            models.computeIfPresent(d.filingNo(), (k, m) -> new ModelRecord(m.filingNo(), m.vendorId(), false));
        }
    }

    @Override
    public Optional<ProviderRecord> provider(ProviderId providerId) {
        return Optional.ofNullable(providers.get(providerId));
    }

    @Override
    public Optional<ModelRecord> model(FilingNo filingNo) {
        return Optional.ofNullable(models.get(filingNo));
    }

    @Override
    public Optional<VoucherId> contractHolder(ContractKey contract) {
        return Optional.ofNullable(contracts.get(contract));
    }

    @Override
    public boolean invoicePaid(InvoiceKey invoice) {
        return invoices.contains(invoice);
    }

    /** Marks a voucher id as used elsewhere (in another program). */
    public TestLedgerIndex takeVoucherId(VoucherId voucherId) {
        voucherIds.add(voucherId);
        return this;
    }

    @Override
    public boolean voucherIdTaken(VoucherId voucherId) {
        return voucherIds.contains(voucherId);
    }

    @Override
    public boolean grantIdTaken(GrantId grantId) {
        return grantIds.contains(grantId);
    }

    @Override
    public Optional<String> boundGroup(String province, String beneficiaryId) {
        return Optional.ofNullable(groups.get(province + "/" + beneficiaryId));
    }

    @Override
    public Set<String> groupMembers(String province, String group) {
        Set<String> members = new TreeSet<>();
        groups.forEach((key, bound) -> {
            if (bound.equals(group) && key.startsWith(province + "/")) {
                members.add(key.substring(province.length() + 1));
            }
        });
        return members;
    }

    @Override
    public Optional<ProviderId> providerIdOf(String legalIdentity, ProviderKind kind) {
        return Optional.ofNullable(identities.get(legalIdentity + "/" + kind));
    }

    @Override
    public boolean leaseMonthPaid(LeaseMonthKey leaseMonth) {
        return leaseMonths.contains(leaseMonth);
    }

    /** Marks a (leaseRef, month) as paid elsewhere (by a grant of another program). */
    public TestLedgerIndex payLeaseMonth(LeaseMonthKey leaseMonth) {
        leaseMonths.add(leaseMonth);
        return this;
    }
}
