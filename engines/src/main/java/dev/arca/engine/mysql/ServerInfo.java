package dev.arca.engine.mysql;

/** What arca asks a server before backing it up: version, binary logging, server id. */
record ServerInfo(String server, String version, boolean logBin, long serverId, String binlogFormat, String checksum) {
    static ServerInfo read(Tools tools) throws MysqlException {
        String[] r;
        try {
            r = tools.query("SELECT @@version, @@log_bin, @@server_id, @@binlog_format, @@binlog_checksum").get(0);
        } catch (MysqlException e) {
            throw new MysqlException("cannot query " + tools.uri() + ": " + e.getMessage()
                    .replaceFirst("^mariadb failed \\(exit status \\d+\\): ", ""));
        }
        return new ServerInfo(tools.uri().server(), r[0], "1".equals(r[1]), Long.parseLong(r[2]), r[3], r[4]);
    }

    void requireBinlog() throws MysqlException {
        if (!logBin) {
            throw new MysqlException("binary logging is off on " + server + " (log_bin=0): point-in-time restore needs "
                    + "the binlogs; start the server with --log-bin --server-id=N (binlog_format=ROW recommended)");
        }
    }
}
