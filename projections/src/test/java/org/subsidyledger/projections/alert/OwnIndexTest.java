package org.subsidyledger.projections.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

/**
 * The entry's own index, worked out from the token delivered with it and the one before: the next index, a jump over
 * indexes not yet committed, a gap filled late — and nothing when the two tokens do not follow each other on one node.
 */
class OwnIndexTest {

    private static GapAwareTrackingToken token(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, List.of(gaps));
    }

    @Test
    void theNextIndexIsTheEntrysOwn() {
        assertThat(AlertProjector.ownIndex(token(10), token(11))).hasValue(11);
        assertThat(AlertProjector.ownIndex(token(10, 7L), token(11, 7L))).hasValue(11);
    }

    @Test
    void anEntryAboveIndexesNotYetCommittedIsItsTokensIndex() {
        assertThat(AlertProjector.ownIndex(token(10), token(13, 11L, 12L))).hasValue(13);
    }

    @Test
    void anEntryThatFillsAGapIsTheGapItFilled() {
        assertThat(AlertProjector.ownIndex(token(13, 11L, 12L), token(13, 12L))).hasValue(11);
    }

    @Test
    void tokensThatDoNotFollowEachOtherTellNothing() {
        // entries 11 and 12 were processed elsewhere in between
        assertThat(AlertProjector.ownIndex(token(10), token(13))).isEmpty();
        // two gaps filled at once
        assertThat(AlertProjector.ownIndex(token(13, 11L, 12L), token(13))).isEmpty();
        // a gap the new token no longer lists, beside the new index
        assertThat(AlertProjector.ownIndex(token(10, 7L), token(11))).isEmpty();
        // nothing new seen, or no token before
        assertThat(AlertProjector.ownIndex(token(10), token(10))).isEmpty();
        assertThat(AlertProjector.ownIndex(null, token(1))).isEqualTo(OptionalLong.empty());
    }
}
