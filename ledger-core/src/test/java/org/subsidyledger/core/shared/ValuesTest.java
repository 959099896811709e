package org.subsidyledger.core.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared values: Money, Ratio, Uscc, Jurisdiction and Text (SPEC §1, §11). */
class ValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static void assertRejected(RejectionCode code, Executable executable) {
        LedgerRejection rejection = assertThrows(LedgerRejection.class, executable);
        assertThat(rejection.code()).isEqualTo(code);
    }

    private static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    @Nested
    @DisplayName("Money")
    class MoneyValues {

        @ParameterizedTest
        @ValueSource(
                strings = {"0.01", "1", "1.5", "1.50", "10", "8000000.00", "123456789012345.99", "999999999999999"})
        void requestMoneyMatchingSpecPatternIsAccepted(String amount) {
            Money money = Money.ofRequest(amount, "CNY", "amount");
            assertThat(money.amount()).isEqualByComparingTo(new BigDecimal(amount));
            assertThat(money.amount().scale()).isEqualTo(2);
            assertThat(money.currency()).isEqualTo(CurrencyCode.CNY);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "-1",
                    "1.001",
                    "01",
                    "00.5",
                    "1e3",
                    "1E3",
                    "NaN",
                    "Infinity",
                    " 1",
                    "1 ",
                    "1,000",
                    "0",
                    "0.00",
                    "0.0",
                    "1234567890123456",
                    "1234567890123456.00",
                    ".5",
                    "1.",
                    "+1",
                    "１",
                    ""
                })
        void requestMoneyOutsideSpecPatternOrNotPositiveIsValidationFailed(String amount) {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Money.ofRequest(amount, "CNY", "amount"));
        }

        @Test
        void requestMoneyWithoutAmountIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Money.ofRequest(null, "CNY", "amount"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"EUR", "cny", "", "CNY "})
        void requestMoneyInACurrencyOtherThanCnyOrUsdIsValidationFailed(String currency) {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Money.ofRequest("100.00", currency, "amount"));
        }

        @Test
        void requestMoneyInUsdIsAccepted() {
            assertThat(Money.ofRequest("50000", "USD", "amount")).isEqualTo(Money.of("50000.00", CurrencyCode.USD));
        }

        @Test
        void storedMoneyWithMoreThanTwoDecimalsIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Money.of("1.001", CurrencyCode.CNY));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Money.of("abc", CurrencyCode.CNY));
        }

        @Test
        void moneyIsHeldAtTwoDecimalsSoEqualAmountsAreEqual() {
            assertThat(cny("4000")).isEqualTo(cny("4000.00"));
            assertThat(cny("4000").hashCode()).isEqualTo(cny("4000.00").hashCode());
            assertThat(cny("4000")).isNotEqualTo(Money.of("4000", CurrencyCode.USD));
        }

        @Test
        void timesRatioRoundsHalfUpToTheCent() {
            // 1,234,567.89 × 0.20 = 246,913.578 → 246,913.58
            assertThat(cny("1234567.89").times(Ratio.of("0.20"))).isEqualTo(cny("246913.58"));
            // 0.05 × 0.5 = 0.025 → 0.03 (half-up, not half-even's 0.02)
            assertThat(cny("0.05").times(Ratio.of("0.5"))).isEqualTo(cny("0.03"));
            // 0.01 × 0.5 = 0.005 → 0.01
            assertThat(cny("0.01").times(Ratio.of("0.5"))).isEqualTo(cny("0.01"));
            // 0.01 × 0.4999 = 0.004999 → 0.00
            assertThat(cny("0.01").times(Ratio.of("0.4999"))).isEqualTo(cny("0.00"));
            // 10,000,000 × 0.30 = 3,000,000 exactly
            assertThat(cny("10000000.00").times(Ratio.of("0.30"))).isEqualTo(cny("3000000.00"));
            // 4,000 × 0.7 = 2,800
            assertThat(cny("4000.00").times(Ratio.of("0.7"))).isEqualTo(cny("2800.00"));
        }

        @Test
        void timesFractionRoundsOnceHalfUp() {
            // 1,000.04 × 7/8 = 875.035 → 875.04; rounding 1,000.04 × 1/8 = 125.005 → 125.01 first would give 875.03.
            assertThat(cny("1000.04").timesFraction(7, 8)).isEqualTo(cny("875.04"));
            // 100 × 1/3 = 33.333… → 33.33; 100 × 2/3 = 66.666… → 66.67
            assertThat(cny("100.00").timesFraction(1, 3)).isEqualTo(cny("33.33"));
            assertThat(cny("100.00").timesFraction(2, 3)).isEqualTo(cny("66.67"));
            // 12,000 × 21/24 = 10,500
            assertThat(cny("12000.00").timesFraction(21, 24)).isEqualTo(cny("10500.00"));
            // 0.01 × 1/2 = 0.005 → 0.01
            assertThat(cny("0.01").timesFraction(1, 2)).isEqualTo(cny("0.01"));
        }

        @Test
        void timesFractionWithoutAPositiveDenominatorIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> cny("1.00").timesFraction(1, 0));
        }

        @Test
        void arithmeticAcrossCurrenciesIsRefused() {
            Money usd = Money.of("1.00", CurrencyCode.USD);
            assertThrows(IllegalArgumentException.class, () -> cny("1.00").plus(usd));
            assertThrows(IllegalArgumentException.class, () -> cny("1.00").minus(usd));
            assertThrows(IllegalArgumentException.class, () -> cny("1.00").compareTo(usd));
        }

        @Test
        void moneyJsonIsAnObjectWithADecimalStringAmountAndTheCurrency() throws Exception {
            String json = JSON.writeValueAsString(cny("8000000"));
            assertThat(json).isEqualTo("{\"amount\":\"8000000.00\",\"currency\":\"CNY\"}");
            JsonNode node = JSON.readTree(json);
            assertThat(node.get("amount").isTextual()).isTrue();
            assertThat(JSON.readValue(json, Money.class)).isEqualTo(cny("8000000.00"));
            assertThat(JSON.writeValueAsString(cny("0.5"))).isEqualTo("{\"amount\":\"0.50\",\"currency\":\"CNY\"}");
        }

        @Test
        void moneyJsonInAnUnknownCurrencyIsRejected() {
            Exception e = assertThrows(
                    Exception.class, () -> JSON.readValue("{\"amount\":\"1.00\",\"currency\":\"EUR\"}", Money.class));
            assertThat(rootCause(e)).isInstanceOf(LedgerRejection.class);
            assertThat(((LedgerRejection) rootCause(e)).code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        }

        private static Throwable rootCause(Throwable t) {
            Throwable cause = t;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause;
        }
    }

    @Nested
    @DisplayName("Ratio")
    class RatioValues {

        @ParameterizedTest
        @ValueSource(strings = {"0.0001", "0.2", "0.30", "0.5", "0.9999", "1", "1.0", "1.0000"})
        void ratioAboveZeroUpToOneWithAtMostFourDecimalsIsAccepted(String text) {
            Ratio ratio = Ratio.of(text);
            assertThat(ratio.value()).isEqualByComparingTo(new BigDecimal(text));
            assertThat(ratio.text()).isEqualTo(text);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "0", "0.0", "0.0000", "0.00001", "0.12345", "1.0001", "1.5", "2", "-0.1", ".5", "0.", "1e-1", "NaN",
                    " 0.3", "0,3", ""
                })
        void ratioOutsideZeroToOneOrWithMoreThanFourDecimalsIsValidationFailed(String text) {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Ratio.of(text));
        }

        @Test
        void ratioConstructedFromADecimalIsCheckedToo() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> new Ratio(new BigDecimal("0.12345")));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> new Ratio(BigDecimal.ZERO));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> new Ratio(new BigDecimal("1.01")));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> new Ratio(null));
        }

        @Test
        void ratioJsonIsADecimalString() throws Exception {
            assertThat(JSON.writeValueAsString(Ratio.of("0.30"))).isEqualTo("\"0.30\"");
            assertThat(JSON.readValue("\"0.30\"", Ratio.class)).isEqualTo(Ratio.of("0.30"));
        }
    }

    @Nested
    @DisplayName("Uscc")
    class UsccValues {

        private static final String[] KNOWN_USCCS = {"91330100481998296B", "91110000802100433B", "91440300708461136T"};
        private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

        @ParameterizedTest
        @ValueSource(strings = {"91330100481998296B", "91110000802100433B", "91440300708461136T"})
        void knownUnifiedSocialCreditCodesAreValid(String code) {
            assertThat(Uscc.isValid(code)).isTrue();
            assertThat(Uscc.require(code, "id")).isEqualTo(code);
            assertThat(Uscc.checkCharacter(code.substring(0, 17))).isEqualTo(code.charAt(17));
        }

        @Test
        void everySingleChangedCharacterOfAKnownCodeFails() {
            int checked = 0;
            for (String code : KNOWN_USCCS) {
                for (int position = 0; position < 18; position++) {
                    for (char replacement : ALPHABET.toCharArray()) {
                        if (replacement == code.charAt(position)) {
                            continue;
                        }
                        String changed = code.substring(0, position) + replacement + code.substring(position + 1);
                        assertThat(Uscc.isValid(changed)).as(changed).isFalse();
                        checked++;
                    }
                }
            }
            assertThat(checked).isEqualTo(3 * 18 * 30);
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Uscc.require("91330100481998297B", "id"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"91330100481998296", "91330100481998296BB", "", "9133010048199829"})
        void usccOfWrongLengthFails(String code) {
            assertThat(Uscc.isValid(code)).isFalse();
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Uscc.require(code, "id"));
        }

        @Test
        void usccNullFails() {
            assertThat(Uscc.isValid(null)).isFalse();
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Uscc.require(null, "id"));
        }

        @Test
        void lowercaseUsccFails() {
            assertThat(Uscc.isValid("91330100481998296b")).isFalse();
            // 91440300708461136T with its letters lowercased
            assertThat(Uscc.isValid("91440300708461136t")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(chars = {'I', 'O', 'Z', 'S', 'V'})
        void usccWithALetterOutsideTheAlphabetFails(char forbidden) {
            // In the check position and in the body.
            assertThat(Uscc.isValid("91330100481998296" + forbidden)).isFalse();
            assertThat(Uscc.isValid("9133010048199829" + forbidden + "B")).isFalse();
            assertThat(Uscc.isValid(forbidden + "1330100481998296B")).isFalse();
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Uscc.require("91330100481998296" + forbidden, "id"));
        }
    }

    @Nested
    @DisplayName("Jurisdiction")
    class JurisdictionValues {

        @ParameterizedTest
        @ValueSource(strings = {"CN-XX", "cn-zj", "CN_ZJ", "CN", "ZJ", "US-XX", "DE-BY", " CN-ZJ", ""})
        void unknownJurisdictionCodeIsValidationFailed(String code) {
            assertThat(Jurisdiction.isKnown(code)).isFalse();
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Jurisdiction.parse(code));
        }

        @Test
        void nullJurisdictionIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Jurisdiction.parse(null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"CN-ZJ", "CN-GD", "CN-BJ", "CN-SH", "CN-HA"})
        void chineseProvincesUseShanghaiTimeAndTheCalendarYearAsFiscalYear(String code) {
            Jurisdiction j = Jurisdiction.parse(code);
            assertThat(j.code()).isEqualTo(code);
            assertThat(j.country()).isEqualTo("CN");
            assertThat(j.zone()).isEqualTo(SHANGHAI);
            for (int month = 1; month <= 12; month++) {
                assertThat(j.fiscalYearOf(YearMonth.of(2026, month))).isEqualTo(2026);
            }
            assertThat(j.fiscalYearStart(2026)).isEqualTo(Instant.parse("2025-12-31T16:00:00Z"));
            assertThat(j.fiscalYearEnd(2026)).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
        }

        @Test
        void californiaUsesLosAngelesTimeAndAJulyToJuneFiscalYearNamedByItsEndingYear() {
            Jurisdiction ca = Jurisdiction.parse("US-CA");
            assertThat(ca.country()).isEqualTo("US");
            assertThat(ca.zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
            assertThat(ca.fiscalYearOf(YearMonth.of(2026, 6))).isEqualTo(2026);
            assertThat(ca.fiscalYearOf(YearMonth.of(2026, 7))).isEqualTo(2027);
            assertThat(ca.fiscalYearOf(YearMonth.of(2026, 12))).isEqualTo(2027);
            assertThat(ca.fiscalYearOf(YearMonth.of(2027, 1))).isEqualTo(2027);
            assertThat(ca.fiscalYearOf(YearMonth.of(2027, 6))).isEqualTo(2027);
            assertThat(ca.fiscalYearOf(YearMonth.of(2027, 7))).isEqualTo(2028);
            // FY2027 starts 2026-07-01T00:00 in Los Angeles (PDT, UTC−7).
            assertThat(ca.fiscalYearStart(2027)).isEqualTo(Instant.parse("2026-07-01T07:00:00Z"));
            assertThat(ca.fiscalYearEnd(2027)).isEqualTo(Instant.parse("2027-07-01T07:00:00Z"));
            // 2026-07-01T03:00Z is still June 30 in Los Angeles: FY2026.
            assertThat(ca.fiscalYearOf(Instant.parse("2026-07-01T03:00:00Z"))).isEqualTo(2026);
            assertThat(ca.fiscalYearOf(Instant.parse("2026-07-01T07:00:00Z"))).isEqualTo(2027);
        }

        @Test
        void fiscalYearTurnsAtLocalMidnightInShanghaiWhileUtcIsStillOnDecember31() {
            Jurisdiction zj = Jurisdiction.parse("CN-ZJ");
            Instant lastSecond =
                    LocalDateTime.parse("2026-12-31T23:59:59").atZone(SHANGHAI).toInstant();
            Instant midnight =
                    LocalDateTime.parse("2027-01-01T00:00:00").atZone(SHANGHAI).toInstant();
            assertThat(lastSecond).isEqualTo(Instant.parse("2026-12-31T15:59:59Z"));
            assertThat(midnight).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
            // Both instants are on 2026-12-31 in UTC, yet they fall in different fiscal years in Zhejiang.
            assertThat(zj.fiscalYearOf(lastSecond)).isEqualTo(2026);
            assertThat(zj.fiscalYearOf(midnight)).isEqualTo(2027);
            assertThat(zj.monthOf(lastSecond)).isEqualTo(YearMonth.of(2026, 12));
            assertThat(zj.monthOf(midnight)).isEqualTo(YearMonth.of(2027, 1));
            assertThat(zj.dateOf(midnight)).isEqualTo(LocalDate.of(2027, 1, 1));
        }

        @Test
        void startOfAMonthIsItsFirstLocalInstant() {
            assertThat(Jurisdiction.parse("CN-GD").startOf(YearMonth.of(2026, 11)))
                    .isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
            // November in Los Angeles starts in PDT (UTC−7).
            assertThat(Jurisdiction.parse("US-CA").startOf(YearMonth.of(2026, 11)))
                    .isEqualTo(Instant.parse("2026-11-01T07:00:00Z"));
        }
    }

    @Nested
    @DisplayName("Text")
    class TextValues {

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "a",
                    "Z",
                    "0",
                    "v-1",
                    "gd-zhuhai-housing-2025",
                    "Beijing-Model-20240001",
                    "a.b_c-d",
                    "0123456789012345678901234567890123456789012345678901234567890123"
                })
        void idsOfOneToSixtyFourAllowedCharactersAreAccepted(String id) {
            assertThat(id.length()).isBetween(1, 64);
            assertThat(Text.isId(id)).isTrue();
            assertThat(Text.requireId(id, "id")).isEqualTo(id);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    " ",
                    "a b",
                    "a/b",
                    "a:b",
                    "ä",
                    "珠海",
                    "a\n",
                    "../etc",
                    "a+b",
                    "a@b",
                    "01234567890123456789012345678901234567890123456789012345678901234"
                })
        void idsWithOtherCharactersOrLongerThanSixtyFourAreValidationFailed(String id) {
            assertThat(Text.isId(id)).isFalse();
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireId(id, "id"));
        }

        @Test
        void nullIdIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireId(null, "id"));
        }

        @Test
        void idsAreExactlyTheStringsOfSpecPattern() {
            java.util.regex.Pattern spec = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
            String alphabet = "aZ09._-/ :+@\u00e4\u73e0\n\u0000~`AzY9";
            java.util.Random random = new java.util.Random(64);
            for (int i = 0; i < 20_000; i++) {
                StringBuilder id = new StringBuilder();
                int length = random.nextInt(67);
                for (int j = 0; j < length; j++) {
                    id.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String value = id.toString();
                boolean expected = spec.matcher(value).matches() && !value.equals(".") && !value.equals("..");
                assertThat(Text.isId(value)).as("'%s'", value).isEqualTo(expected);
            }
            assertThat(Text.isId(".")).isFalse();
            assertThat(Text.isId("..")).isFalse();
            assertThat(Text.isId("...")).isTrue();
        }

        @Test
        void freeTextOfOneToTwoHundredPrintableCharactersIsAccepted() {
            assertThat(Text.requireText("x", "name")).isEqualTo("x");
            assertThat(Text.requireText("Lin-gang talent apartments (临港人才公寓)", "name"))
                    .isNotNull();
            String twoHundred = "a".repeat(200);
            assertThat(Text.requireText(twoHundred, "name")).isEqualTo(twoHundred);
            // Counted in characters (code points), not UTF-16 units or bytes.
            String twoHundredHan = "珠".repeat(200);
            assertThat(Text.requireText(twoHundredHan, "name")).isEqualTo(twoHundredHan);
            assertThat(Text.optionalText(null, "city")).isNull();
        }

        @Test
        void freeTextLongerThanTwoHundredCharactersIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireText("a".repeat(201), "name"));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireText("珠".repeat(201), "name"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void emptyOrBlankFreeTextIsValidationFailed(String text) {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireText(text, "reason"));
        }

        @Test
        void nullFreeTextIsValidationFailed() {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireText(null, "reason"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "line\nbreak",
                    "tab\there",
                    "nul\u0000",
                    "bell\u0007",
                    "del\u007f",
                    "esc\u001b[31m",
                    "c1\u0085",
                    "unit\u001fsep",
                    "bidi\u202eoverride",
                    "zero\u200bwidth"
                })
        void freeTextWithControlOrFormatCharactersIsValidationFailed(String text) {
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.requireText(text, "reason"));
            assertRejected(RejectionCode.VALIDATION_FAILED, () -> Text.optionalText(text, "city"));
        }
    }
}
