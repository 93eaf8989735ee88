package io.openlive.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Component bundles for tests: a sound one to start from, and ways to break it. */
public final class TestBundles {
    private TestBundles() {
    }

    public static String manifest(String id, String version, String kind, List<String> permissions, List<String> emits) {
        return """
                {"id":"%s","name":"Test %s","version":"%s","kind":"%s","entry":"index.html","slots":["%s"],
                 "permissions":%s,"topics":{"subscribe":["comment"],"emit":%s},"size":{"width":320,"height":120}}
                """.formatted(id, id, version, kind, kind.equals("plugin") ? "stage" : "bottom", json(permissions), json(emits));
    }

    public static Map<String, byte[]> files(String manifest) {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        f.put("index.html", "<!doctype html><html><head><link rel=stylesheet href=style.css><script type=module src=main.js></script></head><body><div id=app></div></body></html>"
                .getBytes(StandardCharsets.UTF_8));
        f.put("main.js", "import { attachEmitter } from '/sdk/component.js';\nattachEmitter({ onInit() {} }, { rpc: true });\n".getBytes(StandardCharsets.UTF_8));
        f.put("style.css", "#app { color: #222; }\n".getBytes(StandardCharsets.UTF_8));
        return f;
    }

    public static byte[] sound(String id, String version, String kind) {
        return zip(files(manifest(id, version, kind, List.of("room:read", "comment:read"), List.of(id + ".claimed"))));
    }

    public static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
