package dev.arca.engine.mysql;

import java.io.IOException;

/** A MySQL/MariaDB operation failed (server unreachable, wrong credentials, a tool's error, bad input). */
public class MysqlException extends IOException {
    private static final long serialVersionUID = 1L;

    public MysqlException(String message) {
        super(message);
    }

    public MysqlException(String message, Throwable cause) {
        super(message, cause);
    }
}
