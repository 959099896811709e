package org.subsidyledger.core.support;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/** Hamcrest matchers for fixture tests of rejected commands. */
public final class RejectionMatchers {
    private RejectionMatchers() {}

    /** A {@link LedgerRejection} carrying exactly this code; a mismatch shows the code and message received. */
    public static Matcher<LedgerRejection> rejectedWith(RejectionCode code) {
        return new TypeSafeMatcher<>(LedgerRejection.class) {
            @Override
            protected boolean matchesSafely(LedgerRejection rejection) {
                return rejection.code() == code;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a LedgerRejection with code " + code);
            }

            @Override
            protected void describeMismatchSafely(LedgerRejection rejection, Description description) {
                description.appendText("was " + rejection.code() + ": " + rejection.getMessage());
            }
        };
    }
}
