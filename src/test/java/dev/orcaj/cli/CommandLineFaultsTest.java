package dev.orcaj.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Mistyped commands: a clear error with exit code 2, never the top-level usage with exit code 0. */
class CommandLineFaultsTest {
    @Test
    void unknownCommandWithHelpIsAnError() {
        Cli.Result r = Cli.orca("frobnicate", "--help");
        assertEquals(OrcaCli.ERROR, r.code(), r.all());
        assertTrue(r.err().startsWith("orca: unknown command 'frobnicate'"), r.err());
        assertTrue(r.err().contains("run, align"), "lists the commands: " + r.err());
        assertFalse(r.out().contains("Usage:"), r.out());
    }

    @Test
    void topLevelErrorsSuggestOrcaHelpNotOrcaOrcaHelp() {
        Cli.Result r = Cli.orca("--bogus");
        assertEquals(OrcaCli.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("Try 'orca --help'."), r.err());
        assertFalse(r.err().contains("orca orca"), r.err());
        assertTrue(Cli.orca("run", "--bogus").err().contains("Try 'orca run --help'."));
    }
}
