package org.subsidyledger.api.budget;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.security.LedgerPrincipal;
import org.subsidyledger.api.security.ProvinceScope;

/**
 * SPEC §5's budget queries. A malformed or unknown province code, or an {@code asOf} that is not an ISO-8601 instant
 * (or lies in the future), is {@code 400 VALIDATION_FAILED}; a known province without programs has no currencies.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class BudgetController {
    private final BudgetQueries queries;
    private final BudgetSeries series;

    public BudgetController(BudgetQueries queries, BudgetSeries series) {
        this.queries = queries;
        this.series = series;
    }

    /**
     * The provinces that have programs, within the caller's scope (SPEC §11): an officer sees their own, and only their
     * province's programs are read (scope before work, issue 17).
     */
    @GetMapping("/provinces")
    public BudgetViews.Provinces provinces() {
        String officerProvince = LedgerPrincipal.current()
                .filter(LedgerPrincipal::isOfficer)
                .map(LedgerPrincipal::province)
                .orElse(null);
        return queries.provinces(officerProvince);
    }

    @GetMapping("/provinces/{code}/budget")
    public BudgetViews.ProvinceBudget budget(
            @PathVariable String code, @RequestParam(name = "asOf", required = false) String asOf) {
        return queries.budget(code, asOf);
    }

    /**
     * The budget at the end of each month, week or day between {@code from} and {@code to} (province time zone), each
     * point equal to {@code /budget?asOf=} at its instant; see {@link BudgetSeries}.
     */
    @GetMapping("/provinces/{code}/budget/series")
    public BudgetSeries.Series series(
            @PathVariable String code,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "interval", required = false) String interval) {
        return series.series(code, from, to, interval);
    }

    @GetMapping("/programs")
    public BudgetViews.Programs programs(@RequestParam(name = "province", required = false) String province) {
        LedgerPrincipal officer =
                LedgerPrincipal.current().filter(LedgerPrincipal::isOfficer).orElse(null);
        if (officer != null) {
            // an officer lists their own province's programs, whatever province the query names
            if (province != null) {
                ProvinceScope.requireVisibleProvinceOf(province);
            }
            return queries.programs(officer.province());
        }
        return queries.programs(province);
    }
}
