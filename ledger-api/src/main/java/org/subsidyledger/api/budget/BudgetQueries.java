package org.subsidyledger.api.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.api.store.ProvinceStreams;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.projections.budget.BudgetFold;
import org.subsidyledger.projections.budget.BudgetReadModel;

/**
 * Answers the budget queries. The present comes from the read model ({@link BudgetReadModel}); the past is folded from
 * the log ({@link #foldAsOf}).
 */
@Service
public class BudgetQueries {
    private final BudgetReadModel readModel;
    private final ProvinceStreams streams;
    private final FoldCheckpoints checkpoints;
    private final Clock clock;
    private final TransactionTemplate snapshot;
    private final ObjectMapper json = LedgerJson.newMapper();
    private final Counter logFolds;

    public BudgetQueries(
            BudgetReadModel readModel,
            ProvinceStreams streams,
            FoldCheckpoints checkpoints,
            Clock clock,
            PlatformTransactionManager transactionManager,
            MeterRegistry meters) {
        this.logFolds = logFolds(meters, "asOf");
        this.readModel = readModel;
        this.streams = streams;
        this.checkpoints = checkpoints;
        this.clock = clock;
        // An answer reads several tables; one repeatable-read transaction shows them all as of one commit of the
        // processor, so committed, the liabilities and the counts of one answer always agree.
        this.snapshot = new TransactionTemplate(transactionManager);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * SPEC §5's budget of a province. Without {@code asOf}: the read model now (it trails the log by the processor's
     * lag, normally well under a second). With {@code asOf}: exactly the state the events stamped at or before it imply.
     */
    public BudgetViews.ProvinceBudget budget(String provinceCode, String asOfText) {
        Jurisdiction province = Jurisdiction.parse(provinceCode);
        Instant asOf = asOfText == null ? null : parseAsOf(asOfText);
        // the caller's scope before any work: an officer asking for another province folds nothing (issue 17)
        ProvinceScope.requireVisibleProvinceOf(province.code());
        if (asOf == null) {
            Instant now = clock.instant();
            return snapshot.execute(tx -> BudgetViews.provinceBudget(
                    province, now, readModel.programs(province.code()), readModel.liabilities(province.code())));
        }
        BudgetFold fold = foldAsOf(province.code(), asOf);
        return BudgetViews.provinceBudget(province, asOf, fold.programs(), fold.liabilities());
    }

    /** Every province that has programs, or only {@code province}'s when it is not null. */
    public BudgetViews.Provinces provinces(String province) {
        return snapshot.execute(tx -> BudgetViews.provinces(readModel.programs(province)));
    }

    /** Programs of a province, or of every province when {@code provinceCode} is null. */
    public BudgetViews.Programs programs(String provinceCode) {
        String province =
                provinceCode == null ? null : Jurisdiction.parse(provinceCode).code();
        return snapshot.execute(tx -> BudgetViews.programs(province, readModel.summaries(province), this::rules));
    }

    /**
     * Folds every stored event of the province stamped at or before {@code asOf}, in global index order
     * ({@link ProvinceStreams}: the province's program streams only, not the rest of the log). Global order and event
     * time need not agree across nodes, so nothing is skipped by position: every event of the province is looked at,
     * and only those stamped at or before {@code asOf} are folded. An instant that is not yet settled is answered from
     * the province's checkpoint and the events after it ({@link FoldCheckpoints}), the same events in the same order.
     */
    public BudgetFold foldAsOf(String province, Instant asOf) {
        return checkpoints.foldAsOf(province, asOf).orElseGet(() -> foldFromLog(province, asOf));
    }

    /** {@link #foldAsOf} from the province's first event, whatever has been kept. */
    BudgetFold foldFromLog(String province, Instant asOf) {
        logFolds.increment();
        BudgetFold fold = new BudgetFold(province);
        streams.forEach(province, asOf, (time, event) -> fold.apply(event));
        return fold;
    }

    /**
     * The counter of folds of the log answering a budget query ({@code ledger.budget.log.folds}, tagged with the query:
     * {@code asOf} or {@code series}): each reads every stored event of a province, so an operator watches how often
     * they run.
     */
    static Counter logFolds(MeterRegistry meters, String query) {
        return Counter.builder("ledger.budget.log.folds")
                .tag("query", query)
                .description("Folds of a province's stored events answering a budget query of the past")
                .register(meters);
    }

    private Instant parseAsOf(String text) {
        Instant asOf;
        try {
            asOf = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    "asOf '" + Text.shown(text) + "' is not an ISO-8601 instant such as 2026-11-28T00:00:00Z.");
        }
        if (asOf.isAfter(clock.instant())) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    "asOf " + asOf + " lies in the future; the ledger answers for the present and the past only.");
        }
        return asOf;
    }

    private JsonNode rules(String rulesJson) {
        try {
            return json.readTree(rulesJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rules are not JSON", e);
        }
    }
}
