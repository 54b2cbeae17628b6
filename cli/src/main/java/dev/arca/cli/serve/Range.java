package dev.arca.cli.serve;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14.1.2) resolved against a
 * length: {@code first} to {@code last} inclusive.
 */
record Range(long first, long last) {
    /** Marks a syntactically valid range that no byte of the content satisfies (416). */
    static final Range UNSATISFIABLE = new Range(-1, -1);

    long length() {
        return last - first + 1;
    }

    /**
     * The range {@code header} asks for in content of {@code size} bytes; null when the whole
     * content should be sent (no header, a malformed one, another unit, or several ranges, which
     * this server answers with the whole content as the RFC allows); {@link #UNSATISFIABLE} for 416.
     */
    static Range parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new Range(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new Range(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
