package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.engine.doris.DorisFormatException;
import dev.arca.engine.doris.DorisLayout;
import dev.arca.engine.doris.JobInfo;
import dev.arca.engine.doris.Md5Name;
import dev.arca.fuzz.support.Guard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Doris job info parser and the md5 name codec. */
class DorisFuzzTest {
    private static final List<Class<? extends Exception>> FORMAT = List.of(DorisFormatException.class);

    /** Any bytes: a job info whose names are all safe path elements, or a DorisFormatException. */
    @FuzzTest
    void jobInfoParse(byte[] input) {
        jobInfoParseAccepts(input);
    }

    static boolean jobInfoParseAccepts(byte[] input) {
        Guard.Outcome<JobInfo> o = Guard.parse(input.length, FORMAT, () -> JobInfo.parse(input, "__info"));
        if (!o.ok()) {
            return false;
        }
        JobInfo info = o.value();
        assertTrue(DorisLayout.validName(info.label()), info.label());
        for (JobInfo.Table t : info.tables()) {
            for (JobInfo.Partition p : t.partitions()) {
                for (JobInfo.Index i : p.indexes()) {
                    i.tablets().forEach((id, files) -> {
                        assertTrue(id >= 0);
                        for (String f : files) {
                            assertNotNull(Md5Name.parse(f), f);
                            assertTrue(!f.contains("/") && !f.equals("..") && !f.equals("."), f);
                        }
                    });
                }
            }
        }
        assertNotNull(info.toMetadata());
        return true;
    }

    /** Any name: split so that base + "." + md5 gives it back, or null; never an exception. */
    @FuzzTest
    void md5Name(byte[] input) {
        md5NameAccepts(input);
    }

    static boolean md5NameAccepts(byte[] input) {
        String name = new String(input, StandardCharsets.UTF_8);
        Md5Name n = Md5Name.parse(name);
        if (n == null) {
            return false;
        }
        assertEquals(name, n.fileName());
        assertEquals(32, n.md5().length());
        return true;
    }

    @Test
    void everyTruncationOfAJobInfoIsAFormatError() throws IOException {
        byte[] valid;
        try (InputStream in = DorisFuzzTest.class.getResourceAsStream(
                "DorisFuzzTestInputs/jobInfoParse/valid-generated-job-info")) {
            valid = in.readAllBytes();
        }
        assertTrue(jobInfoParseAccepts(valid));
        for (int len = 0; len < valid.length - 1; len++) {
            byte[] cut = java.util.Arrays.copyOf(valid, len);
            assertEquals(false, jobInfoParseAccepts(cut), "truncated to " + len);
        }
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = valid.clone();
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            jobInfoParseAccepts(b);
        }
    }
}
