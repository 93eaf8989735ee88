package io.openlive.engine.platform;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemverTest {
    @Test
    void ordersByPrecedenceAsSemver2Section11() {
        // the example chain of semver.org section 11, in increasing precedence
        List<String> chain = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0");
        for (int i = 0; i + 1 < chain.size(); i++) {
            assertThat(Semver.parse(chain.get(i))).as("%s < %s", chain.get(i), chain.get(i + 1))
                    .isLessThan(Semver.parse(chain.get(i + 1)));
        }
        assertThat(Semver.parse("1.0.0+build.5").compareTo(Semver.parse("1.0.0"))).as("build metadata is ignored").isZero();
        assertThat(Semver.parse("10.0.0")).isGreaterThan(Semver.parse("9.99.99"));
    }

    @Test
    void refusesWhatIsNotSemver() {
        for (String bad : List.of("1.0", "1", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "1.0.0 ", "", "1.0.0-a..b", "9".repeat(70) + ".0.0")) {
            assertThat(Semver.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Semver.parse(bad)).isInstanceOf(PlatformException.class);
        }
        assertThat(Semver.parse("1.2.3-rc.1+sha.5114f85").toString()).isEqualTo("1.2.3-rc.1+sha.5114f85");
    }
}
