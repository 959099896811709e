package org.subsidyledger.api.http;

import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

import java.util.function.Function;

/**
 * Reads the current state of an aggregate, for the view a command answers with: the state the command just left,
 * read back from the event store (and its snapshot), never a copy kept on the side.
 */
@Component
public class AggregateReader {
    private final Configuration axon;
    private final org.axonframework.common.transaction.TransactionManager transactions;

    public AggregateReader(Configuration axon, org.axonframework.common.transaction.TransactionManager transactions) {
        this.axon = axon;
        this.transactions = transactions;
    }

    public <T, R> R read(Class<T> type, String id, Function<T, R> view) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        // Take the database connection before the aggregate's lock, in the same order as a command does; the other
        // order deadlocks against commands that hold every pooled connection while waiting for the lock.
        unitOfWork.attachTransaction(transactions);
        try {
            R result = axon.repository(type).load(id).invoke(view);
            unitOfWork.rollback();
            return result;
        } catch (AggregateNotFoundException | org.axonframework.eventsourcing.IncompatibleAggregateException e) {
            unitOfWork.rollback();
            throw new LedgerRejection(RejectionCode.NOT_FOUND, type.getSimpleName() + " " + id + " was not found.");
        } catch (RuntimeException e) {
            if (unitOfWork.isActive()) {
                unitOfWork.rollback();
            }
            throw e;
        }
    }
}
