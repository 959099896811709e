package org.subsidyledger.api.budget;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;

/**
 * SPEC §5's budget queries. A malformed or unknown province code, or an {@code asOf} that is not an ISO-8601 instant
 * (or lies in the future), is {@code 400 VALIDATION_FAILED}; a known province without programs has no currencies.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class BudgetController {
    private final BudgetQueries queries;

    public BudgetController(BudgetQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/provinces")
    public BudgetViews.Provinces provinces() {
        return queries.provinces();
    }

    @GetMapping("/provinces/{code}/budget")
    public BudgetViews.ProvinceBudget budget(@PathVariable String code,
                                             @RequestParam(name = "asOf", required = false) String asOf) {
        return queries.budget(code, asOf);
    }

    @GetMapping("/programs")
    public BudgetViews.Programs programs(@RequestParam(name = "province", required = false) String province) {
        return queries.programs(province);
    }
}
