package org.subsidyledger.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shares: the concentration figures kept current equal the ones recomputed from every group")
class SharesTest {

    @Test
    @DisplayName("after every change: Σ amount², the n largest (ties included) and the groups, against a recount")
    void incrementalFiguresEqualARecount() {
        Random random = new Random(20261204L);
        Shares shares = new Shares();
        Map<String, BigDecimal> recount = new HashMap<>();
        for (int step = 0; step < 3_000; step++) {
            String group = "G" + random.nextInt(40);
            // few distinct amounts, so that groups often hold equal totals (ties in the order)
            BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(5) * 25L, 2);
            shares.add(group, amount);
            recount.merge(group, amount, BigDecimal::add);

            assertThat(shares.sumOfSquares())
                    .isEqualTo(
                            recount.values().stream().map(a -> a.multiply(a)).reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(shares.groups()).isEqualTo(recount.size());
            List<BigDecimal> descending = new ArrayList<>(recount.values());
            descending.sort(Comparator.reverseOrder());
            for (int n : new int[] {0, 1, 3, 10, 50}) {
                BigDecimal expected = descending.stream().limit(n).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(shares.top(n)).as("top %d at step %d", n, step).isEqualTo(expected);
            }
        }
        assertThat(shares.byGroup()).isEqualTo(recount);
    }

    @Test
    @DisplayName("the HHI on the 0-10,000 scale: one group is 10,000, two equal groups 5,000")
    void hhi() {
        Shares one = new Shares();
        one.add("A", new BigDecimal("10.00"));
        assertThat(Concentration.hhiAtLeast(one, new BigDecimal("10.00"), BigDecimal.valueOf(10_000)))
                .isTrue();

        Shares two = new Shares();
        two.add("A", new BigDecimal("4.00"));
        two.add("B", new BigDecimal("1.00"));
        two.add("B", new BigDecimal("3.00"));
        BigDecimal total = new BigDecimal("8.00");
        assertThat(Concentration.hhiAtLeast(two, total, BigDecimal.valueOf(5_000)))
                .isTrue();
        assertThat(Concentration.hhiAtLeast(two, total, new BigDecimal("5000.01")))
                .isFalse();
    }
}
