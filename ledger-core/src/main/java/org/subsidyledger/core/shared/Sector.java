package org.subsidyledger.core.shared;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The sectors a beneficiary may belong to: Beijing's model-voucher list plus software, manufacturing, research. */
public final class Sector {
    public static final Set<String> ALL = Set.copyOf(Arrays.asList(
            "education",
            "healthcare",
            "culture",
            "transportation",
            "government-affairs",
            "industry",
            "finance",
            "marketing",
            "justice",
            "media",
            "energy",
            "film-television",
            "gaming",
            "landscaping",
            "software",
            "manufacturing",
            "research"));

    private Sector() {}

    public static String require(String sector) {
        if (sector == null || !ALL.contains(sector)) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "Sector '" + Text.shown(sector) + "' is not one of "
                            + ALL.stream().sorted().collect(Collectors.joining(", ")) + ".");
        }
        return sector;
    }
}
