package io.openlive.engine.platform;

import java.util.List;

/** The automated checks run on submit: every check with its reasons, passing or not. */
public record CheckReport(List<Check> checks) {
    /** One check; {@code reasons} explains a failure (or notes something a reviewer should see). */
    public record Check(String name, boolean passed, List<String> reasons) {
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** Every failure, as {@code name: reason}. */
    public List<String> failures() {
        return checks.stream().filter(c -> !c.passed())
                .flatMap(c -> c.reasons().stream().map(r -> c.name() + ": " + r)).toList();
    }
}
