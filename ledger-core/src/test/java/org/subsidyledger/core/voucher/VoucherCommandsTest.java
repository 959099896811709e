package org.subsidyledger.core.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.support.ProgramEvents;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.support.TestLedgerIndex;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.ModelAccessRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * Every voucher command on the program aggregate: issue, both kinds of redemption, settlement, revocation and
 * expiry (SPEC §2–§4, §11). All amounts are computed by hand in the comments.
 */
class VoucherCommandsTest {
    /** MARCH_2026 (2026-02-28T16:00Z) + 365 × 24 h: 2027-02-28T16:00Z. */
    private static final Instant EXPIRES = Instant.parse("2027-02-28T16:00:00Z");

    private static final VoucherId V3 = VoucherId.of("v-3");
    private static final RedemptionId R3 = RedemptionId.of("r-3");

    private static final ProgramLaunched CAPPED = TestData.cappedHangzhouLaunched();
    private static final ProgramEvents HZ = ProgramEvents.hangzhou();
    private static final ProgramEvents BJ = ProgramEvents.beijingModel();

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
    class Issuing {

        @Test
        void issuesVoucherCommittingFaceValueUntilNowPlusValidityDays() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", "grp-a"), cny("1000000.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(HZ.voucherIssued(V1)
                            .group("grp-a")
                            .face("1000000.00")
                            .expiresAt(Instant.parse("2027-02-28T16:00:00Z"))
                            .event())
                    .expectState(program -> {
                        assertThat(program.figures().committed()).isEqualTo(cny("1000000.00"));
                        assertThat(program.available()).isEqualTo(cny("249000000.00"));
                    });
        }

        @Test
        void issuesVoucherWithoutUsccCheckInUsJurisdiction() {
            ProgramId ca = ProgramId.of("ca-compute-2027");
            ProgramLaunched launched = new ProgramLaunched(
                    ca,
                    "California compute vouchers",
                    ProgramKind.COMPUTE_VOUCHER,
                    "US-CA",
                    "San Jose",
                    CurrencyCode.USD,
                    new VoucherSettings(
                            Ratio.of("0.25"),
                            usd("500000.00"),
                            usd("500000.00"),
                            180,
                            List.of("software"),
                            Payee.PROVIDER));
            Beneficiary startup = new Beneficiary("EIN-12-3456789", "Bay Startup", "software", null);
            // 2026-08-01T07:00Z = 2026-08-01 00:00 PDT: FY2027; expires 180 × 24 h later = 2027-01-28T07:00Z.
            fixture.givenCurrentTime(Instant.parse("2026-08-01T07:00:00Z"))
                    .andGiven(
                            launched,
                            new FundsAppropriated(
                                    ca,
                                    "US-CA",
                                    "San Jose",
                                    ProgramKind.COMPUTE_VOUCHER,
                                    CurrencyCode.USD,
                                    usd("1000000.00"),
                                    "CA-FY27",
                                    2027))
                    .when(new IssueVoucher(ca, V1, startup, usd("200000.00")))
                    .expectEvents(new VoucherIssued(
                            ca,
                            "US-CA",
                            "San Jose",
                            ProgramKind.COMPUTE_VOUCHER,
                            CurrencyCode.USD,
                            V1,
                            startup,
                            null,
                            usd("200000.00"),
                            Ratio.of("0.25"),
                            Payee.PROVIDER,
                            2027,
                            Instant.parse("2027-01-28T07:00:00Z")));
        }

        @Test
        void rejectsIssueOfExistingVoucherId() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_B, "software", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void rejectsIssueFromClosedProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), hangzhouClosed())
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void rejectsIssueFromHousingProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(zhuhaiLaunched(null), appropriated(zhuhaiLaunched(null), "10000000.00"))
                    .when(new IssueVoucher(ZHUHAI, V1, firm(FIRM_A, "software", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_PROGRAM_KIND));
        }

        @Test
        void rejectsIssueWithFaceValueInAnotherCurrency() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), usd("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsBeneficiaryWithWrongUsccCheckCharacterInChineseProgram() {
            char check = FIRM_A.charAt(17);
            String badUscc = FIRM_A.substring(0, 17) + (check == '0' ? '1' : '0');
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(badUscc, "software", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VALIDATION_FAILED));
        }

        @Test
        void rejectsBeneficiaryInIneligibleSector() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "gaming", null), cny("1000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.INELIGIBLE_SECTOR));
        }

        @Test
        void rejectsFaceValueOneCentAboveMaxVoucherValue() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000000.01")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED));
        }

        @Test
        void acceptsFaceValueEqualToMaxVoucherValue() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000000.00")))
                    .expectEventsMatching(single(
                            VoucherIssued.class,
                            e -> e.faceValue().equals(cny("1000000.00")) && e.corporateGroup() == null));
        }

        @Test
        void beneficiaryCapCountsWholeCorporateGroupAcrossDifferentUsccs() {
            // group grp-x already has 1,000,000.00 through FIRM_A; cap 1,500,000.00 leaves 500,000.00 for FIRM_B.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("500000.01")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("500000.00")))
                    .expectEventsMatching(single(
                            VoucherIssued.class,
                            e -> e.voucherId().equals(V2)
                                    && "grp-x".equals(e.corporateGroup())
                                    && e.faceValue().equals(cny("500000.00"))));
        }

        @Test
        void namingAGroupLaterDoesNotEscapeTheFirmsCap() {
            // FIRM_A received 1,000,000.00 without a group; naming grp-x now still counts that against the 1,500,000.00
            // cap.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", "grp-x"), cny("1000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
            // and a group's total includes what its members received before they were recorded under it
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            issued(V2, FIRM_A, "grp-x", "400000.00"))
                    .when(new IssueVoucher(
                            HANGZHOU, VoucherId.of("v-3"), firm(FIRM_B, "software", "grp-x"), cny("100000.01")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void firmsWithoutGroupHaveSeparateCaps() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", null), cny("1000000.00")))
                    .expectEventsMatching(
                            single(VoucherIssued.class, e -> e.voucherId().equals(V2) && e.corporateGroup() == null));
        }

        @Test
        void beneficiaryCapRestartsInNewFiscalYearOfShanghai() {
            // 2026-12-31T15:59:59Z is still 2026-12-31 23:59:59 in Shanghai: FY2026, 1,000,000 + 600,000 > 1,500,000.
            fixture.givenCurrentTime(Instant.parse("2026-12-31T15:59:59Z"))
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
            // 2026-12-31T16:00Z is 2027-01-01 00:00 in Shanghai: FY2027 has fresh headroom.
            fixture.givenCurrentTime(Instant.parse("2026-12-31T16:00:00Z"))
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("600000.00")))
                    .expectEvents(HZ.voucherIssued(V2)
                            .face("600000.00")
                            .fiscalYear(2027)
                            .expiresAt(Instant.parse("2027-12-31T16:00:00Z"))
                            .event());
        }

        @Test
        void revocationGivesNoCapHeadroomBack() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            CAPPED,
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void groupBoundInIndexOverridesDifferentGroupNamedLater() {
            index.bindGroup("CN-ZJ", FIRM_B, "grp-x");
            // FIRM_B now names grp-y, but its USCC is bound to grp-x in CN-ZJ, which already has 1,000,000.00.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-y"), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-y"), cny("500000.00")))
                    .expectEventsMatching(single(
                            VoucherIssued.class, e -> e.voucherId().equals(V2) && "grp-x".equals(e.corporateGroup())));
        }

        @Test
        void groupFirstRecordedInProgramHistoryBindsTheUscc() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, "grp-x", "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", "grp-y"), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void rejectsIssueOneCentAboveAvailableBudget() {
            // appropriated 500,000.00 − committed 300,000.00 = 200,000.00 available
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("500000.00"), issued(V1, FIRM_A, null, "300000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", null), cny("200000.01")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BUDGET_EXCEEDED));
        }

        @Test
        void issuesVoucherTakingExactlyTheAvailableBudget() {
            // appropriated 500,000.00 − committed 300,000.00 = 200,000.00 available
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("500000.00"), issued(V1, FIRM_A, null, "300000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", null), cny("200000.00")))
                    .expectEventsMatching(
                            single(VoucherIssued.class, e -> e.faceValue().equals(cny("200000.00"))))
                    .expectState(program -> assertThat(program.available()).isEqualTo(cny("0.00")));
        }
    }

    @Nested
    @DisplayName("RedeemCompute")
    class RedeemingCompute {

        @Test
        void redeemsComputeRoundingSubsidyHalfUpToTheCent() {
            // 333.35 × 0.30 = 100.005 → 100.01; remaining 1,000,000.00 − 100.01 = 999,899.99
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("333.35"), new BigDecimal("12.5")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ComputeRedeemed(
                            HANGZHOU_HEADER,
                            V1,
                            R1,
                            FIRM_A,
                            null,
                            "c-1",
                            "inv-1",
                            ALIYUN,
                            "grp-cloud",
                            cny("333.35"),
                            new BigDecimal("12.5"),
                            Ratio.of("0.30"),
                            cny("100.01"),
                            cny("999899.99"),
                            Payee.BENEFICIARY))
                    .expectState(program -> {
                        assertThat(program.figures().committed()).isEqualTo(cny("999899.99"));
                        assertThat(program.figures().disbursed()).isEqualTo(cny("100.01"));
                        assertThat(program.available()).isEqualTo(cny("249000000.00"));
                    });
        }

        @Test
        void redemptionLargerThanRemainingPaysOnlyRemainingAndExhaustsVoucher() {
            // R1: 3,000,000.00 × 0.30 = 900,000.00 → remaining 100,000.00
            // R2: 500,000.00 × 0.30 = 150,000.00 → min(150,000.00, 100,000.00) = 100,000.00 → remaining 0.00
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "3000000.00", "900000.00", "100000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-2", ALIYUN, cny("500000.00"), null))
                    .expectEvents(computeRedeemed(V1, R2, "c-1", "inv-2", "500000.00", "100000.00", "0.00"))
                    .expectState(program -> {
                        assertThat(program.figures().committed()).isEqualTo(cny("0.00"));
                        assertThat(program.figures().disbursed()).isEqualTo(cny("1000000.00"));
                    });
            // ...and the voucher is now EXHAUSTED: it takes no further redemption and cannot be revoked.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "3000000.00", "900000.00", "100000.00"),
                            computeRedeemed(V1, R2, "c-1", "inv-2", "500000.00", "100000.00", "0.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "too late"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXHAUSTED));
        }

        @Test
        void rejectsRedemptionOnUnknownVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V3, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }

        @Test
        void rejectsRedemptionReusingRedemptionId() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-2", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void rejectsRedemptionOnRevokedVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_REVOKED));
        }

        @Test
        void rejectsRedemptionAtExpiryEvenBeforeVoucherExpiredIsAppended() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
        }

        @Test
        void acceptsRedemptionOneSecondBeforeExpiry() {
            fixture.givenCurrentTime(EXPIRES.minusSeconds(1))
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectEvents(computeRedeemed(V1, R1, "c-1", "inv-1", "1000.00", "300.00", "999700.00"));
        }

        @Test
        void rejectsRedemptionOnExpiredVoucher() {
            fixture.givenCurrentTime(EXPIRES.plusSeconds(3600))
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            expired(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
        }

        @Test
        void rejectsComputeRedemptionOnModelVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucher("1000000.00"))
                    .when(new RedeemCompute(BJ_MODEL, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_VOUCHER_KIND));
        }

        @Test
        void rejectsModelRedemptionOnComputeVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemModelAccess(
                            HANGZHOU, V1, R1, "mc-1", "minv-1", VENDOR, MODEL, cny("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_VOUCHER_KIND));
        }

        @Test
        void rejectsRedemptionInvoicedInAnotherCurrency() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, usd("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsComputeRedemptionFromUnknownProvider() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "c-1", "inv-1", ProviderId.of("prov-unknown"), cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void rejectsComputeRedemptionFromWithdrawnProvider() {
            index.withdraw(ALIYUN);
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void rejectsComputeRedemptionFromModelVendor() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", VENDOR, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void rejectsRedemptionWhereProviderHasBeneficiarysOwnUscc() {
            ProviderId self = ProviderId.of("prov-self");
            index.accredit(self, ProviderKind.COMPUTE, FIRM_A, "grp-self-cloud");
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", self, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RELATED_PARTY));
        }

        @Test
        void rejectsRedemptionWhereProviderIsInBeneficiarysCorporateGroup() {
            // ALIYUN belongs to grp-cloud; the beneficiary firm is bound to the same group.
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, "grp-cloud", "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RELATED_PARTY));
        }

        @Test
        void rejectsContractAlreadyBoundToAnotherVoucherOfThisProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            issued(V2, FIRM_B, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V2, R2, "c-1", "inv-2", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CONTRACT));
        }

        @Test
        void rejectsContractBoundToAnotherVoucherInTheIndex() {
            index.bindContract(new ContractKey("CN-ZJ", ALIYUN, "c-1"), VoucherId.of("v-other-program"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CONTRACT));
        }

        @Test
        void contractBoundInAnotherProvinceDoesNotBlockThisProvince() {
            index.bindContract(new ContractKey("CN-GD", ALIYUN, "c-1"), VoucherId.of("v-guangdong"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectEvents(computeRedeemed(V1, R1, "c-1", "inv-1", "1000.00", "300.00", "999700.00"));
        }

        @Test
        void acceptsSecondInvoiceOfSameContractOnSameVoucher() {
            // R2: 200,000.00 × 0.30 = 60,000.00; remaining 970,000.00 − 60,000.00 = 910,000.00
            index.bindContract(new ContractKey("CN-ZJ", ALIYUN, "c-1"), V1);
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-2", ALIYUN, cny("200000.00"), null))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(computeRedeemed(V1, R2, "c-1", "inv-2", "200000.00", "60000.00", "910000.00"));
        }

        @Test
        void rejectsInvoiceAlreadyPaidInThisProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-1", ALIYUN, cny("100000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
        }

        @Test
        void rejectsInvoiceAlreadyPaidElsewhereInTheCountry() {
            index.payInvoice(new InvoiceKey(TestData.ALIYUN_IDENTITY, "inv-7"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-9", "inv-7", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
        }

        @Test
        void rejectsRedemptionOnExhaustedVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-2", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXHAUSTED));
        }
    }

    @Nested
    @DisplayName("RedeemModelAccess")
    class RedeemingModelAccess {

        @Test
        void redeemsModelAccessForRegisteredModel() {
            // 1,234.55 × 0.30 = 370.365 → 370.37; remaining 1,000,000.00 − 370.37 = 999,629.63
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucher("1000000.00"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", VENDOR, MODEL, cny("1234.55"), ModelUsage.API_ACCESS))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ModelAccessRedeemed(
                            BJ_MODEL_HEADER,
                            V1,
                            R1,
                            FIRM_B,
                            null,
                            "mc-1",
                            "minv-1",
                            VENDOR,
                            "grp-models",
                            MODEL,
                            ModelUsage.API_ACCESS,
                            cny("1234.55"),
                            Ratio.of("0.30"),
                            cny("370.37"),
                            cny("999629.63"),
                            Payee.BENEFICIARY));
        }

        @Test
        void rejectsModelRedemptionForUnknownModel() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucher("1000000.00"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL,
                            V1,
                            R1,
                            "mc-1",
                            "minv-1",
                            VENDOR,
                            FilingNo.of("Beijing-Model-29999999"),
                            cny("1000.00"),
                            ModelUsage.LICENSE))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MODEL_NOT_REGISTERED));
        }

        @Test
        void rejectsModelRedemptionForDeregisteredModel() {
            index.on(new ModelDeregistered(MODEL, VENDOR, "CN", "filing revoked"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucher("1000000.00"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", VENDOR, MODEL, cny("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MODEL_NOT_REGISTERED));
        }

        @Test
        void rejectsModelRedemptionNamingComputeProvider() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucher("1000000.00"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", ALIYUN, MODEL, cny("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }
    }

    @Nested
    @DisplayName("SettleRedemption")
    class Settling {

        @Test
        void settlesRedemptionTurningPayableIntoPaid() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new SettleRedemption(HANGZHOU, V1, R1, "pay-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new RedemptionSettled(
                            HANGZHOU_HEADER, V1, R1, ALIYUN, Payee.BENEFICIARY, cny("30000.00"), "pay-1"))
                    .expectState(program -> {
                        assertThat(program.figures().paid()).isEqualTo(cny("30000.00"));
                        assertThat(program.figures().disbursed()).isEqualTo(cny("30000.00"));
                    });
        }

        @Test
        void rejectsSettlementOfUnknownRedemption() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new SettleRedemption(HANGZHOU, V1, R3, "pay-1"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }

        @Test
        void rejectsSettlementOnUnknownVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"))
                    .when(new SettleRedemption(HANGZHOU, V3, R1, "pay-1"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }

        @Test
        void rejectsSecondSettlementOfSameRedemption() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"),
                            settled(V1, R1, "30000.00", "pay-1"))
                    .when(new SettleRedemption(HANGZHOU, V1, R1, "pay-2"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_SETTLED));
        }

        @Test
        void settlesRedemptionMadeBeforeVoucherWasRevoked() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"),
                            revoked(V1, "1000000.00", "30000.00", "970000.00"))
                    .when(new SettleRedemption(HANGZHOU, V1, R1, "pay-1"))
                    .expectEvents(settled(V1, R1, "30000.00", "pay-1"));
        }
    }

    @Nested
    @DisplayName("RevokeVoucher")
    class Revoking {

        @Test
        void revokesVoucherReleasingItsRemainingValue() {
            // remaining 1,000,000.00 − 30,000.00 = 970,000.00 is released;
            // available = 250,000,000.00 − 0.00 − 30,000.00 = 249,970,000.00
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "beneficiary dissolved"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new VoucherRevoked(
                            HANGZHOU_HEADER,
                            V1,
                            cny("1000000.00"),
                            cny("30000.00"),
                            cny("970000.00"),
                            "beneficiary dissolved"))
                    .expectState(program -> {
                        assertThat(program.figures().committed()).isEqualTo(cny("0.00"));
                        assertThat(program.figures().released()).isEqualTo(cny("970000.00"));
                        assertThat(program.available()).isEqualTo(cny("249970000.00"));
                    });
        }

        @Test
        void rejectsRevokingTwice() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "again"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_REVOKED));
        }

        @Test
        void rejectsRevokingVoucherPastExpiry() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "too late"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
            fixture.givenCurrentTime(EXPIRES.plusSeconds(60))
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            expired(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "too late"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXPIRED));
        }

        @Test
        void rejectsRevokingExhaustedVoucher() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new RevokeVoucher(HANGZHOU, V1, "nothing left"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.VOUCHER_EXHAUSTED));
        }
    }

    @Nested
    @DisplayName("ExpireVoucher")
    class Expiring {

        @Test
        void expiresVoucherAtExpiresAtReleasingRemainingValue() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "100000.00", "30000.00", "970000.00"))
                    .when(new ExpireVoucher(HANGZHOU, V1))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expired(V1, "1000000.00", "30000.00", "970000.00"))
                    .expectResultMessagePayload(true)
                    .expectState(program -> {
                        assertThat(program.figures().committed()).isEqualTo(cny("0.00"));
                        assertThat(program.figures().released()).isEqualTo(cny("970000.00"));
                    });
        }

        @Test
        void expiryBeforeExpiresAtDoesNothing() {
            fixture.givenCurrentTime(EXPIRES.minusMillis(1))
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new ExpireVoucher(HANGZHOU, V1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void expiryOfExhaustedVoucherDoesNothing() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "300.00"),
                            computeRedeemed(V1, R1, "c-1", "inv-1", "1000.00", "300.00", "0.00"))
                    .when(new ExpireVoucher(HANGZHOU, V1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void expiryOfRevokedVoucherDoesNothing() {
            fixture.givenCurrentTime(EXPIRES)
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            revoked(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new ExpireVoucher(HANGZHOU, V1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void expiryOfAlreadyExpiredVoucherDoesNothing() {
            fixture.givenCurrentTime(EXPIRES.plusSeconds(86400))
                    .andGiven(
                            hangzhouLaunched(),
                            funds("250000000.00"),
                            issued(V1, FIRM_A, null, "1000000.00"),
                            expired(V1, "1000000.00", "0.00", "1000000.00"))
                    .when(new ExpireVoucher(HANGZHOU, V1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }
    }

    @Nested
    @DisplayName("Caps across programs, references and related parties")
    class CapsReferencesAndParties {

        @Test
        void groupCapCountsAMemberBoundToTheGroupThroughAnotherProgramOfTheProvince() {
            // Issue 12 point 3: FIRM_A received 1,000,000 ungrouped here; a voucher of another Zhejiang program bound
            // FIRM_A to grp-x; FIRM_B's 1,000,000 under grp-x would make the group's total 2,000,000 > 1,500,000.
            index.bindGroup("CN-ZJ", FIRM_A, "grp-x");
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("1000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void groupCapCountsBindingsOfTheBeneficiaryWithoutItNamingTheGroup() {
            // Variation: FIRM_B is bound to grp-x elsewhere and names no group now; FIRM_A, also bound elsewhere,
            // received 1,000,000 here ungrouped: FIRM_B's voucher counts under grp-x all the same.
            index.bindGroup("CN-ZJ", FIRM_A, "grp-x").bindGroup("CN-ZJ", FIRM_B, "grp-x");
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", null), cny("600000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void aBindingInAnotherProvinceDoesNotJoinTheGroupHere() {
            index.bindGroup("CN-GD", FIRM_A, "grp-x");
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("1000000.00")))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void groupCapCountsOnlyTheFiscalYearOfIssue() {
            // FIRM_A's 1,000,000 was issued in FY2025; FY2026 starts afresh for the group.
            index.bindGroup("CN-ZJ", FIRM_A, "grp-x");
            VoucherIssued lastYear =
                    HZ.voucherIssued(V1).face("1000000.00").fiscalYear(2025).event();
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(CAPPED, funds("250000000.00"), lastYear)
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", "grp-x"), cny("1000000.00")))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void anInvoiceWrittenDifferentlyIsTheSameInvoice() {
            // Issue 12 point 4: trailing space, other case and full-width characters do not make a new invoice.
            for (String spelling : List.of("INV-001 ", "inv-001", "ＩＮＶ－００１", "\u3000INV-001")) {
                setUp();
                fixture.givenCurrentTime(MARCH_2026)
                        .andGiven(
                                hangzhouLaunched(),
                                funds("250000000.00"),
                                issued(V1, FIRM_A, null, "1000000.00"),
                                computeRedeemed(V1, R1, "c-1", "INV-001", "100000.00", "30000.00", "970000.00"))
                        .when(new RedeemCompute(HANGZHOU, V1, R2, "c-1", spelling, ALIYUN, cny("100000.00"), null))
                        .expectNoEvents()
                        .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
            }
        }

        @Test
        void anInvoicePaidUnderAnotherProviderIdOfTheSameLegalEntityIsDuplicateInvoice() {
            // A legal entity accredited under two ids (before the rule refused the second) submits one invoice under
            // each: the invoice is keyed on the USCC, not on the provider id.
            ProviderId second = ProviderId.of("prov-compute-1b");
            index.accredit(second, ProviderKind.COMPUTE, TestData.PROVIDER_USCC, null);
            index.payInvoice(new InvoiceKey(TestData.ALIYUN_IDENTITY, "INV-2026-0042"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-9", "inv-2026-0042", second, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_INVOICE));
        }

        @Test
        void aContractWrittenDifferentlyIsBoundToTheSameVoucher() {
            index.bindContract(new ContractKey("CN-ZJ", ALIYUN, "HZ-Contract 7"), VoucherId.of("v-other-program"));
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "hz-contract   7 ", "inv-1", ALIYUN, cny("1000.00"), null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CONTRACT));
        }

        @Test
        void referencesAreStoredAsGiven() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), funds("250000000.00"), issued(V1, FIRM_A, null, "1000000.00"))
                    .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", " inv-1 ", ALIYUN, cny("1000.00"), null))
                    .expectEvents(computeRedeemed(V1, R1, "c-1", " inv-1 ", "1000.00", "300.00", "999700.00"));
        }

        @Test
        void modelBoughtThroughAResellerFromAVendorOfTheBeneficiarysGroupIsRelatedParty() {
            // Issue 12 point 5: the reseller is unrelated, but the model's vendor (grp-models) is the beneficiary's
            // group.
            ProviderId reseller = ProviderId.of("prov-reseller");
            index.accredit(reseller, ProviderKind.MODEL_VENDOR, TestData.uscc("91110000MA0100077"), "grp-resale");
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucherTo(FIRM_B, "grp-models"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", reseller, MODEL, cny("1000.00"), ModelUsage.API_ACCESS))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RELATED_PARTY));
        }

        @Test
        void vendorBuyingItsOwnModelThroughAResellerIsRelatedParty() {
            // Variation: the beneficiary is the vendor itself (same USCC), with no group at all.
            ProviderId reseller = ProviderId.of("prov-reseller");
            index.accredit(reseller, ProviderKind.MODEL_VENDOR, TestData.uscc("91110000MA0100077"), null);
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucherTo(TestData.VENDOR_USCC, null))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", reseller, MODEL, cny("1000.00"), ModelUsage.LICENSE))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RELATED_PARTY));
        }

        @Test
        void modelBoughtThroughAResellerFromAnUnrelatedVendorIsRedeemed() {
            ProviderId reseller = ProviderId.of("prov-reseller");
            index.accredit(reseller, ProviderKind.MODEL_VENDOR, TestData.uscc("91110000MA0100077"), null);
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            beijingModelLaunched(),
                            appropriated(beijingModelLaunched(), "100000000.00"),
                            modelVoucherTo(FIRM_B, "grp-health"))
                    .when(new RedeemModelAccess(
                            BJ_MODEL, V1, R1, "mc-1", "minv-1", reseller, MODEL, cny("1000.00"), ModelUsage.API_ACCESS))
                    .expectSuccessfulHandlerExecution();
        }

        private static VoucherIssued modelVoucherTo(String uscc, String group) {
            return BJ.voucherIssued(V1).to(uscc, "healthcare").group(group).event();
        }
    }

    // ================================================================ helpers

    private static FundsAppropriated funds(String amount) {
        return appropriated(hangzhouLaunched(), amount);
    }

    private static ProgramClosed hangzhouClosed() {
        return HZ.closed("policy ended");
    }

    /** A Hangzhou compute voucher (30 %) issued at MARCH_2026 in FY2026, expiring at EXPIRES. */
    private static VoucherIssued issued(VoucherId id, String uscc, String group, String face) {
        return HZ.voucherIssued(id).to(uscc, "software").group(group).face(face).event();
    }

    /** A Beijing model voucher (30 %) to FIRM_B, healthcare, issued at MARCH_2026, expiring at EXPIRES. */
    private static VoucherIssued modelVoucher(String face) {
        return BJ.voucherIssued(V1).to(FIRM_B, "healthcare").face(face).event();
    }

    /** A Hangzhou compute redemption with ALIYUN on a FIRM_A voucher without group. */
    private static ComputeRedeemed computeRedeemed(
            VoucherId voucher,
            RedemptionId redemption,
            String contract,
            String invoice,
            String invoiceAmount,
            String subsidy,
            String remaining) {
        return HZ.computeRedeemed(voucher, redemption)
                .contract(contract)
                .invoice(invoice, invoiceAmount)
                .paying(subsidy, remaining)
                .event();
    }

    private static RedemptionSettled settled(
            VoucherId voucher, RedemptionId redemption, String amount, String paymentRef) {
        return HZ.settled(voucher, redemption, amount, paymentRef);
    }

    private static VoucherRevoked revoked(VoucherId voucher, String face, String redeemed, String released) {
        return HZ.revoked(voucher, face, redeemed, released);
    }

    private static VoucherExpired expired(VoucherId voucher, String face, String redeemed, String released) {
        return HZ.expired(voucher, EXPIRES, face, redeemed, released);
    }

    /** Exactly one event, of the given type, satisfying the predicate. */
    private static <T> Matcher<List<Message<?>>> single(Class<T> type, Predicate<T> predicate) {
        return Matchers.payloadsMatching(Matchers.exactSequenceOf(
                Matchers.<Object>predicate(e -> type.isInstance(e) && predicate.test(type.cast(e))),
                Matchers.andNoMore()));
    }
}
