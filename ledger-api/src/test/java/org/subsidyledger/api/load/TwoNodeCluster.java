package org.subsidyledger.api.load;

import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.support.MutableClock;

/** Two ledger nodes on one PostgreSQL database of their own, sharing one clock; closed in reverse order. */
final class TwoNodeCluster implements AutoCloseable {
    final Database db;
    final Node a;
    final Node b;

    private TwoNodeCluster(Database db, Node a, Node b) {
        this.db = db;
        this.a = a;
        this.b = b;
    }

    static TwoNodeCluster start(String databasePrefix) {
        Database db = Database.create(databasePrefix);
        Node a = null;
        try {
            MutableClock clock = new MutableClock(LoadSupport.START);
            a = Node.start(db, clock);
            return new TwoNodeCluster(db, a, Node.start(db, clock));
        } catch (RuntimeException e) {
            new TwoNodeCluster(db, a, null).close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (b != null) {
                b.close();
            }
        } finally {
            try {
                if (a != null) {
                    a.close();
                }
            } finally {
                db.close();
            }
        }
    }
}
