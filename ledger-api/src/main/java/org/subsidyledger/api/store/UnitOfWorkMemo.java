package org.subsidyledger.api.store;

import java.util.Optional;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * What the current unit of work read once and may use again within its own transaction: kept in the root unit of
 * work's resources, so it dies with it. Outside a unit of work nothing is kept and nothing is found. Keys are the
 * caller's own (each names the instance that owns it, so two databases' components sharing a unit of work never read
 * each other's values).
 */
public final class UnitOfWorkMemo {
    private UnitOfWorkMemo() {}

    /** The value kept under {@code key} by this unit of work; empty outside one or when none was kept. */
    public static Optional<Object> get(String key) {
        return CurrentUnitOfWork.isStarted()
                ? Optional.ofNullable(CurrentUnitOfWork.get().root().getResource(key))
                : Optional.empty();
    }

    /** Keeps {@code value} for the rest of the current unit of work; nothing outside one. */
    public static void put(String key, Object value) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().resources().put(key, value);
        }
    }

    /** Forgets what the current unit of work kept under {@code key}. */
    public static void remove(String key) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().resources().remove(key);
        }
    }
}
