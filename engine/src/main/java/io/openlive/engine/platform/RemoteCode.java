package io.openlive.engine.platform;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds code or styles a bundle file would load from another origin, and strings evaluated as code, in time linear in the
 * file: markup goes through jsoup's HTML tokenizer (or its XML one for SVG), CSS and JavaScript through forward scans
 * that look at each whitespace run at most once. The regular expressions these scans replaced backtracked: {@code @import}
 * followed by 10,000 spaces took an hour.
 *
 * <p>Limits: these are lexical checks, not a JavaScript parser; they catch what a developer writes by accident (an
 * absolute {@code import}, a CDN {@code <script src>}), and the bundle's Content-Security-Policy stops the rest. Usage:
 * {@code RemoteCode.inCss(text).ifPresent(f -> reasons.add(path + ":" + f.line() + ": " + f.what()))}.
 */
final class RemoteCode {
    /** What was found and on which line (1-based). */
    record Finding(int line, String what) {
    }

    private static final Set<String> LOADING_TAGS = Set.of("script", "link", "iframe", "frame", "embed", "object", "base");
    private static final Set<String> URL_ATTRIBUTES = Set.of("src", "href", "data", "xlink:href");
    private static final int URL_SHOWN = 120;

    private RemoteCode() {
    }

    /** A {@code src}, {@code href} or {@code data} of a loading element, or an inline script or style, that loads remotely. */
    static Optional<Finding> inMarkup(String text, boolean xml) {
        Parser parser = xml ? Parser.xmlParser() : Parser.htmlParser();
        parser.setTrackPosition(true);
        Document doc = parser.parseInput(text, "");
        for (Element e : doc.getAllElements()) {
            String tag = e.normalName();
            if (LOADING_TAGS.contains(tag)) {
                for (Attribute a : e.attributes()) {
                    if (URL_ATTRIBUTES.contains(a.getKey().toLowerCase(Locale.ROOT)) && isRemote(a.getValue())) {
                        return Optional.of(new Finding(line(e), "loads code or styles from " + shown(a.getValue())));
                    }
                }
            }
            if (tag.equals("script") || tag.equals("style")) {
                StringBuilder inline = new StringBuilder();
                for (DataNode d : e.dataNodes()) {
                    inline.append(d.getWholeData());
                }
                Optional<Finding> f = tag.equals("script") ? inJavaScript(inline.toString()) : inCss(inline.toString());
                if (f.isPresent()) {
                    return Optional.of(new Finding(line(e) + f.get().line() - 1, f.get().what()));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code @import url(…)} or {@code @import "…"} of an absolute or protocol-relative URL. */
    static Optional<Finding> inCss(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int from = 0;
        for (int at; (at = lower.indexOf("@import", from)) >= 0; from = at + 7) {
            int i = skipSpace(lower, at + 7);
            if (lower.startsWith("url(", i)) {
                i = skipSpace(lower, i + 4);
            }
            i = skipQuote(lower, i, "\"'");
            i = skipSpace(lower, i);
            if (isRemoteAt(lower, i)) {
                return Optional.of(new Finding(lineAt(text, at), "loads code or styles from " + urlAt(text, i)));
            }
        }
        return Optional.empty();
    }

    /** A static or dynamic {@code import}, an {@code export … from}, or {@code importScripts} of a remote URL. */
    static Optional<Finding> inJavaScript(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String word : new String[]{"import", "from", "importscripts"}) {
            int from = 0;
            for (int at; (at = lower.indexOf(word, from)) >= 0; from = at + word.length()) {
                if (at > 0 && isWordChar(lower.charAt(at - 1))) {
                    continue;
                }
                int i = skipSpace(lower, at + word.length());
                boolean paren = i < lower.length() && lower.charAt(i) == '(';
                if (word.equals("importscripts") && !paren) {
                    continue;
                }
                if (paren && !word.equals("from")) {
                    i = skipSpace(lower, i + 1);
                }
                if (i >= lower.length() || "\"'`".indexOf(lower.charAt(i)) < 0) {
                    continue;
                }
                i = skipSpace(lower, i + 1);
                if (isRemoteAt(lower, i)) {
                    return Optional.of(new Finding(lineAt(text, at), "loads code or styles from " + urlAt(text, i)));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code eval(} or {@code new Function(}. */
    static Optional<Finding> evaluation(String text) {
        for (String word : new String[]{"eval", "new"}) {
            int from = 0;
            for (int at; (at = text.indexOf(word, from)) >= 0; from = at + word.length()) {
                if (at > 0 && isWordChar(text.charAt(at - 1))) {
                    continue;
                }
                int i = at + word.length();
                if (word.equals("new")) {
                    int afterSpace = skipSpace(text, i);
                    if (afterSpace == i || !text.startsWith("Function", afterSpace)) {
                        continue;
                    }
                    i = afterSpace + "Function".length();
                }
                i = skipSpace(text, i);
                if (i < text.length() && text.charAt(i) == '(') {
                    return Optional.of(new Finding(lineAt(text, at), "evaluates strings as code"));
                }
            }
        }
        return Optional.empty();
    }

    /** Absolute http(s), protocol-relative (browsers read {@code \\} as {@code /}), or a JavaScript data URL. */
    static boolean isRemote(String url) {
        String u = url.strip().toLowerCase(Locale.ROOT).replace('\\', '/');
        return isRemoteAt(u, 0);
    }

    private static boolean isRemoteAt(String lower, int i) {
        if (i < lower.length() && lower.charAt(i) == '\\') {
            return lower.startsWith("\\\\", i) || lower.startsWith("\\/", i);
        }
        return lower.startsWith("http:", i) || lower.startsWith("https:", i) || lower.startsWith("//", i)
                || lower.startsWith("data:text/javascript", i);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipQuote(String s, int i, String quotes) {
        return i < s.length() && quotes.indexOf(s.charAt(i)) >= 0 ? i + 1 : i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static String urlAt(String text, int i) {
        int end = i;
        while (end < text.length() && end - i < URL_SHOWN && "\"'`>) \t\r\n".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(i, end);
    }

    private static String shown(String url) {
        String u = url.strip();
        return u.length() > URL_SHOWN ? u.substring(0, URL_SHOWN) : u;
    }

    private static int line(Element e) {
        int line = e.sourceRange().start().lineNumber();
        return line > 0 ? line : 1;
    }

    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
