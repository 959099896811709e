package org.subsidyledger.api.security;

/** SPEC §9's roles. */
public enum Role {
    /** Registries and everything else, in every province. */
    NATIONAL_ADMIN,
    /** The programs, vouchers, grants, budget and alerts of one province; nothing of another. */
    PROVINCE_OFFICER,
    /** Reads everything and the audit endpoints; sends no command. */
    AUDITOR;

    public String authority() {
        return "ROLE_" + name();
    }
}
