package dev.graft.formats.simd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VectorWorkTest {

    @Test
    void opensOnceTheAnnouncedWorkReachesTheThresholdAndStaysOpen() {
        VectorWork work = new VectorWork(1000);
        assertThat(work.worth()).isFalse();
        work.add(600);
        work.add(0);
        work.add(-5000);
        assertThat(work.worth()).as("600 of 1000 announced").isFalse();
        work.add(399);
        assertThat(work.worth()).as("999 of 1000").isFalse();
        work.add(1);
        assertThat(work.worth()).as("1000 of 1000").isTrue();
        work.add(-1);
        assertThat(work.worth()).isTrue();
    }

    @Test
    void aThresholdOfZeroOpensAtOnceAndHugeAnnouncementsDoNotWrapAround() {
        assertThat(new VectorWork(0).worth()).isTrue();
        VectorWork work = new VectorWork(Long.MAX_VALUE);
        work.add(Long.MAX_VALUE - 1);
        work.add(Long.MAX_VALUE - 1);
        assertThat(work.worth()).as("saturated at Long.MAX_VALUE").isTrue();
        VectorWork never = new VectorWork(Long.MAX_VALUE);
        never.add(Long.MAX_VALUE / 2);
        assertThat(never.worth()).isFalse();
    }

    @Test
    void theProcessTallyFollowsTheGraftSimdWorkProperty() {
        // The build sets graft.simd.work=0 so that the tests exercise the vector forms from the start (the
        // algorithms module's scalar-forms run sets it the other way).
        assertThat(VectorWork.threshold()).isEqualTo(Long.getLong("graft.simd.work", VectorWork.DEFAULT_THRESHOLD));
        assertThat(VectorWork.worthIt()).isEqualTo(VectorWork.threshold() <= 0);
    }
}
