package org.subsidyledger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {
    @TempDir
    Path directory;

    private Path results(String name, long events, double mix, double reads) throws Exception {
        Path file = directory.resolve(name);
        new ObjectMapper()
                .writeValue(
                        file.toFile(),
                        Map.of(
                                "eventsBeforeStart",
                                events,
                                "phases",
                                List.of(
                                        Map.of("name", "mix-closed-64", "acceptedPerSecond", mix),
                                        Map.of("name", "reads-closed-64", "acceptedPerSecond", reads))));
        return file;
    }

    @Test
    void plotsEachPhaseAgainstTheHistoryEachRunStartedOn() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path large = results("large.json", 1_001_000, 329.6, 990.1);
        Path empty = results("empty.json", 0, 287.6, 738.8);
        Path plot = Report.historyPlot(directory.resolve("history.png"), List.of(large, empty));

        assertThat(plot).exists();
        BufferedImage image = ImageIO.read(Files.newInputStream(plot));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(450);
        assertThatThrownBy(() -> Report.historyPlot(directory.resolve("history.svg"), List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
