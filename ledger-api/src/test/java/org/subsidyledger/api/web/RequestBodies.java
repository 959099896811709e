package org.subsidyledger.api.web;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.erdtman.jcs.JsonCanonicalizer;

/** The JSON bodies of SPEC §3's commands, as strings, and what tests need to build them. */
final class RequestBodies {
    private RequestBodies() {}

    static String money(String amount) {
        return money(amount, "CNY");
    }

    static String money(String amount, String currency) {
        return "{\"amount\": \"" + amount + "\", \"currency\": \"" + currency + "\"}";
    }

    static String voucherProgramJson(
            String programId,
            String kind,
            String province,
            String city,
            String ratio,
            String maxVoucherValue,
            String cap,
            int validityDays) {
        return """
                {"programId": "%s", "name": "%s vouchers", "kind": "%s", "province": "%s", "city": "%s",
                 "currency": "CNY",
                 "rules": {"coverageRatio": "%s", "maxVoucherValue": %s, "capPerBeneficiaryPerYear": %s,
                           "validityDays": %d, "eligibleSectors": ["software", "healthcare", "finance"],
                           "payee": "PROVIDER"}}
                """.formatted(
                programId, programId, kind, province, city, ratio, money(maxVoucherValue), money(cap), validityDays);
    }

    static String housingProgramJson(
            String programId, String monthlyRentCap, String capPerRecipient, Integer serviceMonths) {
        return """
                {"programId": "%s", "name": "Zhuhai talent housing", "kind": "HOUSING_SUBSIDY", "province": "CN-GD",
                 "city": "Zhuhai", "currency": "CNY",
                 "rules": {"schedule": ["1.0", "0.7", "0.5"], "monthlyRentCap": %s, "capPerRecipient": %s,
                           "claimWindowMonths": 3%s}}
                """.formatted(
                        programId,
                        money(monthlyRentCap),
                        money(capPerRecipient),
                        serviceMonths == null ? "" : ", \"serviceMonths\": " + serviceMonths);
    }

    static String appropriationJson(String amount, String reference) {
        return "{\"amount\": " + money(amount) + ", \"reference\": \"" + reference + "\"}";
    }

    static String accreditJson(String providerId, String kind, String legalId, String group) {
        return "{\"providerId\": \"" + providerId + "\", \"name\": \"Provider " + providerId + "\", \"id\": \""
                + legalId + "\", \"kind\": \"" + kind + "\"" + (group == null ? "" : ", \"group\": \"" + group + "\"")
                + "}";
    }

    static String issueJson(String voucherId, String uscc, String sector, String group, String faceValue) {
        return "{\"voucherId\": \"" + voucherId + "\", \"beneficiary\": {\"id\": \"" + uscc + "\", \"name\": \"Firm "
                + uscc + "\", \"sector\": \"" + sector + "\"" + (group == null ? "" : ", \"group\": \"" + group + "\"")
                + "}, \"faceValue\": " + money(faceValue) + "}";
    }

    static String computeRedemptionJson(
            String redemptionId, String contractRef, String invoiceRef, String providerId, String amount) {
        return "{" + (redemptionId == null ? "" : "\"redemptionId\": \"" + redemptionId + "\", ")
                + "\"contractRef\": \"" + contractRef + "\", \"invoiceRef\": \"" + invoiceRef + "\", \"providerId\": \""
                + providerId + "\", \"invoiceAmount\": " + money(amount) + ", \"gpuHours\": 120.5}";
    }

    static String modelRedemptionJson(
            String redemptionId,
            String contractRef,
            String invoiceRef,
            String providerId,
            String filingNo,
            String amount) {
        return "{" + (redemptionId == null ? "" : "\"redemptionId\": \"" + redemptionId + "\", ")
                + "\"contractRef\": \"" + contractRef + "\", \"invoiceRef\": \"" + invoiceRef + "\", \"providerId\": \""
                + providerId + "\", \"filingNo\": \"" + filingNo + "\", \"invoiceAmount\": " + money(amount)
                + ", \"usage\": \"API_ACCESS\"}";
    }

    static String grantJson(String grantId, String personRef, String startMonth, String monthlyRent) {
        return "{\"grantId\": \"" + grantId + "\", \"recipient\": {\"personRef\": \"" + personRef
                + "\", \"category\": \"GRADUATE\"}, \"startMonth\": \"" + startMonth + "\", \"monthlyRent\": "
                + money(monthlyRent) + "}";
    }

    /**
     * A claim under a lease of its own: a (lease, month) is paid once nationally (SPEC §11), and the contract's tests
     * share one ledger.
     */
    static String claimJson(String month, String rentPaid) {
        return claimJson(month, rentPaid, "lease-" + month + "-" + LEASES.incrementAndGet());
    }

    static String claimJson(String month, String rentPaid, String leaseRef) {
        return "{\"month\": \"" + month + "\", \"rentPaid\": " + money(rentPaid) + ", \"leaseRef\": \"" + leaseRef
                + "\"}";
    }

    private static final AtomicInteger LEASES = new AtomicInteger();

    static String canonicalSha256(String body) {
        try {
            byte[] canonical = new JsonCanonicalizer(body).getEncodedUTF8();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError("cannot canonicalize " + body, e);
        }
    }

    /** GB 32100-2015: weights 3^i mod 31 over the first 17 characters, check = (31 − Σ mod 31) mod 31. */
    static final class UsccCheck {
        private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

        static char of(String first17) {
            int sum = 0;
            int weight = 1;
            for (int i = 0; i < 17; i++) {
                sum += ALPHABET.indexOf(first17.charAt(i)) * weight;
                weight = weight * 3 % 31;
            }
            return ALPHABET.charAt((31 - sum % 31) % 31);
        }
    }
}
