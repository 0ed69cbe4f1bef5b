package org.apitmoodle.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apitmoodle.Application;

/**
 * What must never ship: the Moodle emulator (org.apitmoodle.emulator, with its fault switches) and the demo
 * (org.apitmoodle.demo and its data). They are test fixtures (src/emulator, src/demo). This finds them, or any
 * reference to them, in a folder of compiled classes or in a jar.
 */
public final class ProductionCode {

    /** The packages and the resource folder that belong to the tests only, as paths inside a class folder or jar. */
    private static final List<String> TEST_ONLY_PATHS = List.of("org/apitmoodle/emulator/", "org/apitmoodle/demo/",
            "demo/");
    /** How a class or a resource names them: internal names (in class files) and class names (in strings). */
    private static final List<String> TEST_ONLY_NAMES = List.of("org/apitmoodle/emulator", "org/apitmoodle/demo",
            "org.apitmoodle.emulator", "org.apitmoodle.demo");

    private ProductionCode() {
    }

    /** Where the production classes are: target/classes (or the jar the application was loaded from). */
    public static Path location() {
        try {
            return Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every entry of the folder or jar that is a test-only class or resource, or that names one, each as
     * "path: why"; empty when the production code is clean.
     */
    public static List<String> testOnlyCodeIn(Path folderOrJar) throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(folderOrJar)) {
            try (Stream<Path> files = Files.walk(folderOrJar)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String path = folderOrJar.relativize(file).toString().replace('\\', '/');
                    check(path, Files.readAllBytes(file), found);
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(folderOrJar.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
                    if (!entry.isDirectory()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            check(entry.getName(), in.readAllBytes(), found);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void check(String path, byte[] content, List<String> found) {
        for (String testOnly : TEST_ONLY_PATHS) {
            if (path.startsWith(testOnly)) {
                found.add(path + ": is under " + testOnly);
                return;
            }
        }
        if (path.startsWith("META-INF/maven/")) {
            // The build's own pom.xml, which Maven copies into every jar: it names the demo's launcher for exec:java.
            return;
        }
        // Class files keep names and string constants in (modified) UTF-8, so a byte search finds every reference.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        for (String name : TEST_ONLY_NAMES) {
            if (text.contains(name)) {
                found.add(path + ": names " + name);
            }
        }
    }
}
