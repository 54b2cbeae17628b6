package dev.arca.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.cli.CommandFailure;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** How {@code serve --listen} reads its address. */
class ServeCommandTest {
    @Test
    void listenTakesHostPortAndBracketedIpv6() {
        InetSocketAddress a = ServeCommand.address("127.0.0.1:8070");
        assertEquals(8070, a.getPort());
        assertTrue(a.getAddress().isLoopbackAddress());
        InetSocketAddress v6 = ServeCommand.address("[::1]:0");
        assertTrue(v6.getAddress().isLoopbackAddress());
        assertEquals(0, v6.getPort());
        assertTrue(ServeCommand.address(":9000").getAddress().isLoopbackAddress(), "no host: loopback");
        assertTrue(ServeCommand.address("0.0.0.0:1").getAddress().isAnyLocalAddress());
        for (String bad : new String[] {"8070", "::1:80", "[::1]", "host:x", "host:70000", "127.0.0.1:-1"}) {
            assertThrows(CommandFailure.class, () -> ServeCommand.address(bad), bad);
        }
    }
}
