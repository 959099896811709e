package org.subsidyledger.core.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ISO 3166-2 subdivisions the ledger accepts: every province-level division of China and every US state,
 * district and outlying area. Each carries its time zone (SPEC §11: Asia/Shanghai for all of China, the state's
 * principal zone in the US) and the first month of its fiscal year (China: the calendar year; US states July
 * unless their statutes say otherwise) — the default, which {@link FiscalCalendars} may override per jurisdiction from
 * the application's configuration. A fiscal year is named by the calendar year in which it ends, so the
 * Californian FY2027 runs from July 2026 to June 2027.
 */
public enum Jurisdiction {
    CN_AH("CN-AH", "Anhui", "Asia/Shanghai", 1),
    CN_BJ("CN-BJ", "Beijing", "Asia/Shanghai", 1),
    CN_CQ("CN-CQ", "Chongqing", "Asia/Shanghai", 1),
    CN_FJ("CN-FJ", "Fujian", "Asia/Shanghai", 1),
    CN_GD("CN-GD", "Guangdong", "Asia/Shanghai", 1),
    CN_GS("CN-GS", "Gansu", "Asia/Shanghai", 1),
    CN_GX("CN-GX", "Guangxi", "Asia/Shanghai", 1),
    CN_GZ("CN-GZ", "Guizhou", "Asia/Shanghai", 1),
    CN_HA("CN-HA", "Henan", "Asia/Shanghai", 1),
    CN_HB("CN-HB", "Hubei", "Asia/Shanghai", 1),
    CN_HE("CN-HE", "Hebei", "Asia/Shanghai", 1),
    CN_HI("CN-HI", "Hainan", "Asia/Shanghai", 1),
    CN_HK("CN-HK", "Hong Kong", "Asia/Shanghai", 1),
    CN_HL("CN-HL", "Heilongjiang", "Asia/Shanghai", 1),
    CN_HN("CN-HN", "Hunan", "Asia/Shanghai", 1),
    CN_JL("CN-JL", "Jilin", "Asia/Shanghai", 1),
    CN_JS("CN-JS", "Jiangsu", "Asia/Shanghai", 1),
    CN_JX("CN-JX", "Jiangxi", "Asia/Shanghai", 1),
    CN_LN("CN-LN", "Liaoning", "Asia/Shanghai", 1),
    CN_MO("CN-MO", "Macao", "Asia/Shanghai", 1),
    CN_NM("CN-NM", "Inner Mongolia", "Asia/Shanghai", 1),
    CN_NX("CN-NX", "Ningxia", "Asia/Shanghai", 1),
    CN_QH("CN-QH", "Qinghai", "Asia/Shanghai", 1),
    CN_SC("CN-SC", "Sichuan", "Asia/Shanghai", 1),
    CN_SD("CN-SD", "Shandong", "Asia/Shanghai", 1),
    CN_SH("CN-SH", "Shanghai", "Asia/Shanghai", 1),
    CN_SN("CN-SN", "Shaanxi", "Asia/Shanghai", 1),
    CN_SX("CN-SX", "Shanxi", "Asia/Shanghai", 1),
    CN_TJ("CN-TJ", "Tianjin", "Asia/Shanghai", 1),
    CN_TW("CN-TW", "Taiwan", "Asia/Shanghai", 1),
    CN_XJ("CN-XJ", "Xinjiang", "Asia/Shanghai", 1),
    CN_XZ("CN-XZ", "Xizang", "Asia/Shanghai", 1),
    CN_YN("CN-YN", "Yunnan", "Asia/Shanghai", 1),
    CN_ZJ("CN-ZJ", "Zhejiang", "Asia/Shanghai", 1),
    US_AL("US-AL", "Alabama", "America/Chicago", 10),
    US_AK("US-AK", "Alaska", "America/Anchorage", 7),
    US_AZ("US-AZ", "Arizona", "America/Phoenix", 7),
    US_AR("US-AR", "Arkansas", "America/Chicago", 7),
    US_CA("US-CA", "California", "America/Los_Angeles", 7),
    US_CO("US-CO", "Colorado", "America/Denver", 7),
    US_CT("US-CT", "Connecticut", "America/New_York", 7),
    US_DE("US-DE", "Delaware", "America/New_York", 7),
    US_FL("US-FL", "Florida", "America/New_York", 7),
    US_GA("US-GA", "Georgia", "America/New_York", 7),
    US_HI("US-HI", "Hawaii", "Pacific/Honolulu", 7),
    US_ID("US-ID", "Idaho", "America/Boise", 7),
    US_IL("US-IL", "Illinois", "America/Chicago", 7),
    US_IN("US-IN", "Indiana", "America/Indiana/Indianapolis", 7),
    US_IA("US-IA", "Iowa", "America/Chicago", 7),
    US_KS("US-KS", "Kansas", "America/Chicago", 7),
    US_KY("US-KY", "Kentucky", "America/New_York", 7),
    US_LA("US-LA", "Louisiana", "America/Chicago", 7),
    US_ME("US-ME", "Maine", "America/New_York", 7),
    US_MD("US-MD", "Maryland", "America/New_York", 7),
    US_MA("US-MA", "Massachusetts", "America/New_York", 7),
    US_MI("US-MI", "Michigan", "America/Detroit", 10),
    US_MN("US-MN", "Minnesota", "America/Chicago", 7),
    US_MS("US-MS", "Mississippi", "America/Chicago", 7),
    US_MO("US-MO", "Missouri", "America/Chicago", 7),
    US_MT("US-MT", "Montana", "America/Denver", 7),
    US_NE("US-NE", "Nebraska", "America/Chicago", 7),
    US_NV("US-NV", "Nevada", "America/Los_Angeles", 7),
    US_NH("US-NH", "New Hampshire", "America/New_York", 7),
    US_NJ("US-NJ", "New Jersey", "America/New_York", 7),
    US_NM("US-NM", "New Mexico", "America/Denver", 7),
    US_NY("US-NY", "New York", "America/New_York", 4),
    US_NC("US-NC", "North Carolina", "America/New_York", 7),
    US_ND("US-ND", "North Dakota", "America/Chicago", 7),
    US_OH("US-OH", "Ohio", "America/New_York", 7),
    US_OK("US-OK", "Oklahoma", "America/Chicago", 7),
    US_OR("US-OR", "Oregon", "America/Los_Angeles", 7),
    US_PA("US-PA", "Pennsylvania", "America/New_York", 7),
    US_RI("US-RI", "Rhode Island", "America/New_York", 7),
    US_SC("US-SC", "South Carolina", "America/New_York", 7),
    US_SD("US-SD", "South Dakota", "America/Chicago", 7),
    US_TN("US-TN", "Tennessee", "America/Chicago", 7),
    US_TX("US-TX", "Texas", "America/Chicago", 9),
    US_UT("US-UT", "Utah", "America/Denver", 7),
    US_VT("US-VT", "Vermont", "America/New_York", 7),
    US_VA("US-VA", "Virginia", "America/New_York", 7),
    US_WA("US-WA", "Washington", "America/Los_Angeles", 7),
    US_WV("US-WV", "West Virginia", "America/New_York", 7),
    US_WI("US-WI", "Wisconsin", "America/Chicago", 7),
    US_WY("US-WY", "Wyoming", "America/Denver", 7),
    US_DC("US-DC", "District of Columbia", "America/New_York", 10),
    US_AS("US-AS", "American Samoa", "Pacific/Pago_Pago", 10),
    US_GU("US-GU", "Guam", "Pacific/Guam", 10),
    US_MP("US-MP", "Northern Mariana Islands", "Pacific/Saipan", 10),
    US_PR("US-PR", "Puerto Rico", "America/Puerto_Rico", 7),
    US_UM("US-UM", "United States Minor Outlying Islands", "Pacific/Wake", 10),
    US_VI("US-VI", "U.S. Virgin Islands", "America/St_Thomas", 10);

    private static final Map<String, Jurisdiction> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toMap(Jurisdiction::code, Function.identity()));

    private final String code;
    private final String displayName;
    private final ZoneId zone;
    private final int fiscalYearStartMonth;

    Jurisdiction(String code, String displayName, String zone, int fiscalYearStartMonth) {
        this.code = code;
        this.displayName = displayName;
        this.zone = ZoneId.of(zone);
        this.fiscalYearStartMonth = fiscalYearStartMonth;
    }

    public static Jurisdiction parse(String code) {
        Jurisdiction jurisdiction = code == null ? null : BY_CODE.get(code);
        if (jurisdiction == null) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "Province '" + Text.shown(code) + "' is not a known ISO 3166-2 code such as CN-ZJ or US-CA.");
        }
        return jurisdiction;
    }

    public static boolean isKnown(String code) {
        return code != null && BY_CODE.containsKey(code);
    }

    public String code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    /** ISO 3166-1 alpha-2 country: {@code CN} or {@code US}. */
    public String country() {
        return code.substring(0, 2);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first month of the fiscal year: the configured one ({@link FiscalCalendars}), else the statutory one. */
    public int fiscalYearStartMonth() {
        return FiscalCalendars.startMonth(this, fiscalYearStartMonth);
    }

    public YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(zone));
    }

    public LocalDate dateOf(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    /** The first instant of a local month. */
    public Instant startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    /** The fiscal year (named by the calendar year it ends in) that contains a local month. */
    public int fiscalYearOf(YearMonth month) {
        int start = fiscalYearStartMonth();
        return start == 1 || month.getMonthValue() < start ? month.getYear() : month.getYear() + 1;
    }

    public int fiscalYearOf(Instant instant) {
        return fiscalYearOf(monthOf(instant));
    }

    /** First instant of a fiscal year. */
    public Instant fiscalYearStart(int fiscalYear) {
        int start = fiscalYearStartMonth();
        int startYear = start == 1 ? fiscalYear : fiscalYear - 1;
        return startOf(YearMonth.of(startYear, start));
    }

    /** First instant after a fiscal year. */
    public Instant fiscalYearEnd(int fiscalYear) {
        return fiscalYearStart(fiscalYear + 1);
    }
}
