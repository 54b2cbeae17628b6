package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browse page of {@code arca serve} in headless Chromium, as a person uses it: open the
 * repository page, go into a snapshot down to a directory, download a file, compare two snapshots.
 * Screenshots are kept under target/ (serve-browse-*.png).
 */
class BrowseTest {
    static String js(String s) throws Exception {
        return Output.JSON.writeValueAsString(s);
    }

    /** The link with exactly this text. */
    static String link(String text) throws Exception {
        return "[...document.querySelectorAll('a')].find(a => a.textContent === " + js(text) + ")";
    }

    @Test
    void openGoIntoASnapshotDownloadAFileAndViewADiff(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 11, 120, 0, 0);
        Files.writeString(src.resolve("notes.txt"), "first version\n");
        cli.expect(0, "backup", src.toString());
        Files.writeString(src.resolve("notes.txt"), "second version, longer\n");
        Files.writeString(src.resolve("added.txt"), "new file\n");
        cli.expect(0, "backup", src.toString());
        String cliDiff = cli.expect(0, "diff", firstId(cli), "latest").out();

        Path downloads = work.resolve("downloads");
        Files.createDirectories(downloads);
        Path shots = Path.of("target");
        try (Served served = new Served(cli); Chromium browser = new Chromium(work.resolve("chromium"), downloads)) {
            browser.navigate(served.url.toString());
            assertEquals("Snapshots", browser.eval("document.querySelector('h1').textContent").asText());
            assertEquals(Hosts.hostname(), browser.eval("document.querySelector('h2').textContent").asText());
            assertEquals(2, browser.eval("document.querySelectorAll('a.snap').length").asInt());
            browser.screenshot(shots.resolve("serve-browse-snapshots.png"));

            // Newest first: the first link is the second backup. Walk down to the source directory.
            browser.clickAndWait("document.querySelector('a.snap')");
            assertTrue(browser.eval("location.pathname").asText().startsWith("/snapshots/"));
            for (Path name : src.toAbsolutePath()) {
                browser.clickAndWait(link(name + "/"));
            }
            assertTrue(browser.eval("document.body.textContent.includes('added.txt')").asBoolean());
            browser.screenshot(shots.resolve("serve-browse-directory.png"));

            browser.eval("(" + link("notes.txt") + ").nextElementSibling.click()");
            Path got = downloads.resolve("notes.txt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(Files.exists(got) && Files.size(got) == Files.size(src.resolve("notes.txt")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertArrayEquals(Files.readAllBytes(src.resolve("notes.txt")), Files.readAllBytes(got),
                    "the downloaded file is the file of the second snapshot");

            // The diff form on the repository page, with its default choice: the last two snapshots.
            browser.navigate(served.url.toString());
            browser.clickAndWait("document.querySelector('#diff button')");
            String summary = browser.eval("document.querySelector('#summary').textContent").asText();
            assertEquals("added: 1, removed: 0, modified: 1, type changed: 0", summary);
            String rows = browser.eval("[...document.querySelectorAll('#changes tr')].slice(1)"
                    + ".map(r => r.cells[0].textContent + ' ' + r.cells[1].textContent).join('\\n')").asText();
            assertEquals(String.join("\n", cliDiff.lines().filter(l -> l.matches("^[+\\-MTU] .*"))
                    .map(l -> l.replaceFirst("^(.) +", "$1 ")).toList()), rows, "the page lists what arca diff lists");
            browser.screenshot(shots.resolve("serve-browse-diff.png"));
        }
        assertTrue(Files.size(shots.resolve("serve-browse-diff.png")) > 1000);
    }

    static String firstId(Cli cli) throws Exception {
        var snaps = EndToEndTest.json(cli.expect(0, "--json", "snapshots").out());
        return snaps.get(0).get("id").asText();
    }
}
