package org.subsidyledger.drills;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of the broker process ({@link KafkaBroker}): the project's own {@code InProcessKafkaBroker} (a KRaft
 * broker and controller, the one the embedded default runs) in a JVM of its own, on the ports and log directory given
 * as arguments, until the process is told to end. It is loaded by name from ledger-api/target/classes, which is on this
 * process's class path but not on the drills' compile class path (ledger-api's jar is a repackaged Spring Boot jar).
 *
 * <p>Arguments: host, port, controller port, data directory, partitions.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName("org.subsidyledger.api.kafka.InProcessKafkaBroker");
        Object broker = type.getConstructor(String.class, int.class, int.class, Path.class, List.class, int.class)
                .newInstance(
                        args[0],
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        Path.of(args[3]),
                        List.of("subsidy.ledger.events", "subsidy.ledger.alerts"),
                        Integer.parseInt(args[4]));
        type.getMethod("start").invoke(broker);
        System.out.println("BROKER STARTED " + args[0] + ":" + args[1]);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: a clean shutdown, as an operator's `systemctl stop kafka` would do; the log directory stays
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                type.getMethod("stop").invoke(broker);
                System.out.println("BROKER STOPPED");
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
