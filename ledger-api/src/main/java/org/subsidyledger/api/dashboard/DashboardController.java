package org.subsidyledger.api.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.security.LedgerPrincipal;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The read endpoints the program page needs (see {@link ProgramInsights}). Another province's program, or one that does
 * not exist, is {@code 404 NOT_FOUND}; a malformed id, offset, limit or query is {@code 400 VALIDATION_FAILED}.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class DashboardController {
    private final ProgramInsights insights;

    public DashboardController(ProgramInsights insights) {
        this.insights = insights;
    }

    /** Who is signed in, the language their browser asks for, and each province's name and time zone. */
    public record Me(String name, String role, String province, String language, List<Place> jurisdictions) {}

    public record Place(String code, String name, String zone, int fiscalYearStartMonth) {}

    @GetMapping("/me")
    public Me me(HttpServletRequest request) {
        LedgerPrincipal principal = LedgerPrincipal.current()
                .orElseThrow(() -> new LedgerRejection(RejectionCode.UNAUTHENTICATED, "Authentication is required."));
        String language = "zh".equals(request.getLocale().getLanguage()) ? "zh" : "en";
        List<Place> places = Arrays.stream(Jurisdiction.values())
                .filter(j -> principal.covers(j.code()))
                .map(j -> new Place(j.code(), j.displayName(), j.zone().getId(), j.fiscalYearStartMonth()))
                .toList();
        return new Me(principal.name(), principal.role().name(), principal.province(), language, places);
    }

    @GetMapping("/programs/{programId}/activity")
    public ProgramInsights.Activity activity(@PathVariable String programId) {
        return insights.activity(programId);
    }

    @GetMapping("/programs/{programId}/vouchers")
    public ProgramInsights.Page<ProgramInsights.VoucherRow> vouchers(
            @PathVariable String programId,
            @RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "offset", required = false) Integer offset,
            @RequestParam(name = "limit", required = false) Integer limit) {
        return insights.vouchers(programId, q, offset, limit);
    }

    @GetMapping("/programs/{programId}/housing-grants")
    public ProgramInsights.Page<ProgramInsights.GrantRow> grants(
            @PathVariable String programId,
            @RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "offset", required = false) Integer offset,
            @RequestParam(name = "limit", required = false) Integer limit) {
        return insights.grants(programId, q, offset, limit);
    }
}
