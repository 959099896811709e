package org.subsidyledger.core.program;

import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.*;

import java.time.Instant;
import java.time.YearMonth;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingCommands;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.support.TestLedgerIndex;
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * Commands that break several rules at once report the one of highest precedence (SPEC §11): 400, 404, 409, then
 * the 422 codes in the order state → kind → currency → registries → related party → sector → duplicates →
 * exhausted → caps → budget.
 */
class PrecedenceTest {
    /** MARCH_2026 + 365 × 24 h. */
    private static final Instant EXPIRES = Instant.parse("2027-02-28T16:00:00Z");

    private static final ProgramLaunched CAPPED = TestData.cappedHangzhouLaunched();

    private TestLedgerIndex index;
    private AggregateTestFixture<Program> fixture;

    @BeforeEach
    void setUp() {
        index = TestData.registries();
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(index);
    }

    @Nested
    @DisplayName("IssueVoucher")
    class IssuingAVoucher {

        @Test
        void closedProgramOutranksWrongCurrencyAndOverBudget() {
            // closed; face in USD; and 1,000,000 > the 500,000.00 appropriated
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "500000.00"), closed())
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), usd("1000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void alreadyExistsOutranksClosedProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, null, "1000.00"), closed())
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_B, "software", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void invalidUsccOutranksEveryBusinessRule() {
            String badUscc = FIRM_A.substring(0, 17) + (FIRM_A.charAt(17) == '0' ? '1' : '0');
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "500000.00"), closed())
                    .when(new IssueVoucher(HANGZHOU, V1, firm(badUscc, "gaming", null), usd("9000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VALIDATION_FAILED));
        }
    }

    @Nested
    @DisplayName("GrantHousingSubsidy")
    class GrantingHousing {

        private static HousingCommands.GrantHousingSubsidy grantTo(
                String id, String person, String start, String rent) {
            return new HousingCommands.GrantHousingSubsidy(
                    ZHUHAI, GrantId.of(id), TestData.talent(person), YearMonth.parse(start), cny(rent));
        }

        @Test
        void duplicateGrantOutranksRecipientCap() {
            // p-1's first grant at 6,000 uses the whole 120,000 cap, so the overlapping grant is also beyond the cap:
            // the duplicate is reported (duplicates come before caps).
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(zhuhaiLaunched(null), appropriated(zhuhaiLaunched(null), "1000000.00"))
                    .andGivenCommands(grantTo("g-1", "p-1", "2026-07", "6000.00"))
                    .when(grantTo("g-2", "p-1", "2027-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void duplicateGrantOutranksBudget() {
            // 110,000 appropriated, 105,600 committed by g-1: an overlapping g-2 would commit the 14,400 of headroom
            // left under the cap, more than the 4,400 available: it is also over budget.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(zhuhaiLaunched(null), appropriated(zhuhaiLaunched(null), "110000.00"))
                    .andGivenCommands(grantTo("g-1", "p-1", "2026-07", "4000.00"))
                    .when(grantTo("g-2", "p-1", "2026-08", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void closedProgramOutranksDuplicateGrant() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(zhuhaiLaunched(null), appropriated(zhuhaiLaunched(null), "1000000.00"))
                    .andGivenCommands(grantTo("g-1", "p-1", "2026-07", "4000.00"))
                    .andGiven(new ProgramClosed(ZHUHAI_HEADER, "ended"))
                    .when(grantTo("g-2", "p-1", "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void wrongProgramKindOutranksWrongCurrency() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(zhuhaiLaunched(null), appropriated(zhuhaiLaunched(null), "100.00"))
                    .when(new IssueVoucher(ZHUHAI, V1, firm(FIRM_A, "software", null), usd("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_PROGRAM_KIND));
        }

        @Test
        void ineligibleSectorOutranksValueCapBeneficiaryCapAndBudget() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "500000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "gaming", null), cny("2000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.INELIGIBLE_SECTOR));
        }

        @Test
        void voucherValueCapOutranksBeneficiaryCapAndBudget() {
            // 1,000,000.01 > max 1,000,000.00; 1,000,000.00 + 1,000,000.01 > cap 1,500,000.00; > 1,500,000 available
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "2500000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("1000000.01")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED));
        }

        @Test
        void beneficiaryCapOutranksBudget() {
            // available 1,200,000.00 − 1,000,000.00 = 200,000.00 < 600,000.00; and 1,600,000.00 > cap 1,500,000.00
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "1200000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }
    }

    @Nested
    @DisplayName("AppropriateFunds")
    class Appropriating {

        @Test
        void closedProgramOutranksWrongCurrencyOnAppropriation() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "500000.00"), closed())
                    .when(new AppropriateFunds(HANGZHOU, usd("1000.00"), "late-usd-line"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void wrongCurrencyOutranksCommittedBudgetOnRescissionOfClosedProgram() {
            // Closure does not block rescission; the currency check does, before the budget one.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "500000.00"), issued(V1, FIRM_A, null, "500000.00"), closed())
                    .when(new RescindFunds(HANGZHOU, usd("1000.00"), "wrong currency"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }
    }

    @Nested
    @DisplayName("RedeemCompute and RedeemModelAccess")
    class Redeeming {

        @Test
        void revokedVoucherOutranksUnaccreditedProvider() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked("1000000.00", "0.00", "1000000.00"))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "c-1", "inv-1", ProviderId.of("prov-unknown"), cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_REVOKED));
        }

        @Test
        void revokedOutranksExpiredWrongKindAndWrongCurrency() {
            fixture.givenCurrentTime(EXPIRES.plusSeconds(60))
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked("1000000.00", "0.00", "1000000.00"))
                    .when(new RedeemModelAccess(
                            HANGZHOU, V1, R1, "c-1", "inv-1", VENDOR, MODEL, usd("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_REVOKED));
        }

        @Test
        void expiredOutranksWrongVoucherKindAndCurrency() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemModelAccess(
                            HANGZHOU, V1, R1, "c-1", "inv-1", VENDOR, MODEL, usd("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
        }

        @Test
        void wrongVoucherKindOutranksCurrencyAndRegistries() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemModelAccess(
                            HANGZHOU,
                            V1,
                            R1,
                            "c-1",
                            "inv-1",
                            ProviderId.of("prov-unknown"),
                            FilingNo.of("Unknown-Model-1"),
                            usd("1000.00"),
                            ModelUsage.LICENSE))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_VOUCHER_KIND));
        }

        @Test
        void currencyMismatchOutranksUnaccreditedProvider() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "c-1", "inv-1", ProviderId.of("prov-unknown"), usd("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void unaccreditedProviderOutranksDuplicateInvoiceAndExhaustion() {
            index.withdraw(ALIYUN);
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            redeemed(R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void relatedPartyOutranksDuplicateContractAndInvoice() {
            index.bindContract(new ContractKey("CN-ZJ", ALIYUN, "c-1"), VoucherId.of("v-elsewhere"));
            index.payInvoice(new InvoiceKey(TestData.ALIYUN_IDENTITY, "inv-1"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, "grp-cloud", "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RELATED_PARTY));
        }

        @Test
        void duplicateContractOutranksDuplicateInvoice() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            issued(V2, FIRM_B, null, "1000000.00"),
                            redeemed(R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V2, R2, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CONTRACT));
        }

        @Test
        void duplicateInvoiceOutranksExhaustedVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            redeemed(R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
        }

        /** SPEC §11: a subsidy that rounds to 0.00 is a 422 of its own, after duplicates and an exhausted voucher. */
        @Test
        void exhaustedVoucherOutranksASubsidyThatRoundsToZero() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            redeemed(R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-2", ALIYUN, cny("0.01"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXHAUSTED));
        }

        @Test
        void duplicateInvoiceOutranksASubsidyThatRoundsToZero() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            redeemed(R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-1", ALIYUN, cny("0.01"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
        }

        @Test
        void aSubsidyThatRoundsToZeroIsItsOwn422NotAValidationFailure() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("0.01"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.SUBSIDY_ROUNDS_TO_ZERO));
        }

        @Test
        void existingRedemptionIdOutranksRevokedVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            redeemed(R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"),
                            revoked("1000000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-2", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void unknownVoucherOutranksEverything() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds(CAPPED, "5000000.00"), closed())
                    .when(new RedeemCompute(
                            HANGZHOU,
                            VoucherId.of("v-missing"),
                            RedemptionId.of("r-9"),
                            "c-1",
                            "inv-1",
                            ProviderId.of("prov-unknown"),
                            usd("1000.00"),
                            null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }
    }

    @Nested
    @DisplayName("RevokeVoucher")
    class Revoking {

        @Test
        void expiredOutranksExhaustedOnRevocation() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            redeemed(R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "too late"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
        }

        @Test
        void revokedOutranksExpiredOnRevocation() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(
                            CAPPED,
                            funds(CAPPED, "5000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked("1000000.00", "0.00", "1000000.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "again"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_REVOKED));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static FundsAppropriated funds(ProgramLaunched program, String amount) {
        return appropriated(program, amount);
    }

    private static ProgramClosed closed() {
        return new ProgramClosed(HANGZHOU_HEADER, "policy ended");
    }

    private static VoucherIssued issued(VoucherId id, String uscc, String group, String face) {
        return new VoucherIssued(
                HANGZHOU_HEADER,
                id,
                firm(uscc, "software", group),
                group,
                cny(face),
                Ratio.of("0.30"),
                Payee.BENEFICIARY,
                2026,
                EXPIRES);
    }

    /** A redemption on V1 (FIRM_A, no group) with ALIYUN. */
    private static ComputeRedeemed redeemed(
            RedemptionId redemption,
            String contract,
            String invoice,
            String invoiceAmount,
            String subsidy,
            String remaining) {
        return new ComputeRedeemed(
                HANGZHOU_HEADER,
                V1,
                redemption,
                FIRM_A,
                null,
                contract,
                invoice,
                ALIYUN,
                "grp-cloud",
                cny(invoiceAmount),
                null,
                Ratio.of("0.30"),
                cny(subsidy),
                cny(remaining),
                Payee.BENEFICIARY);
    }

    private static VoucherRevoked revoked(String face, String redeemed, String released) {
        return new VoucherRevoked(HANGZHOU_HEADER, V1, cny(face), cny(redeemed), cny(released), "fraud");
    }
}
