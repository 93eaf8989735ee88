package io.openlive.kernel.amf3;

import java.util.List;

/**
 * The traits of an AMF 3 object (section 3.12): its sealed member names, in the order their values follow, and whether
 * dynamic members follow them. {@code namesLength} is what the names add to each object that uses these traits, for the
 * expansion budget of {@link Amf3References}.
 */
record Amf3Traits(String className, List<String> sealedNames, boolean dynamic, long namesLength) {
}
