package io.openlive.server;

/**
 * The browser container's side of a node: the component origin (a second HTTP listener that serves only component
 * bundles and the component SDK), demo mode and the import of the official components.
 *
 * @param componentPort      port of the component origin, default 8081 (0 picks a free one, as tests do)
 * @param componentOrigin    public origin of that listener, such as {@code https://components.example.com}; empty for
 *                           {@code http://{public-host}:{component-port}}
 * @param demo               whether the demo host apps, their instances, the demo room and its loop are set up, and the
 *                           {@code /demo/api} routes exist (default on for {@code serve}, off for tests)
 * @param officialComponents whether the official components bundled in the jar are imported into the store at start
 * @param officialFolder     classpath folder of the official components ({@code official}; tests name fixtures)
 */
public record ContainerConfig(int componentPort, String componentOrigin, boolean demo, boolean officialComponents,
                              String officialFolder) {
    public static final String OFFICIAL_FOLDER = "official";

    public static ContainerConfig defaults() {
        return new ContainerConfig(8081, "", true, true, OFFICIAL_FOLDER);
    }

    /** For tests: a free component port, no demo, no official components (a test turns them on when it needs them). */
    public static ContainerConfig ephemeral() {
        return new ContainerConfig(0, "", false, false, OFFICIAL_FOLDER);
    }

    /** Demo mode needs the official components, so turning it on imports them too. */
    public ContainerConfig withDemo(boolean on) {
        return new ContainerConfig(componentPort, componentOrigin, on, on || officialComponents, officialFolder);
    }

    public ContainerConfig withOfficialComponents(String folder) {
        return new ContainerConfig(componentPort, componentOrigin, demo, true, folder);
    }
}
