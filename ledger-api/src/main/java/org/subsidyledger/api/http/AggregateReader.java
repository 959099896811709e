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

    public AggregateReader(Configuration axon) {
        this.axon = axon;
    }

    public <T, R> R read(Class<T> type, String id, Function<T, R> view) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
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
