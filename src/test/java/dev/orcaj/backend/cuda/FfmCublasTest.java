package dev.orcaj.backend.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FFM cuBLAS 13 binding without a GPU: where libcublas.so.13 is installed every symbol must bind with the
 * declared signature shapes (cuBLAS loads without a driver); elsewhere loading fails with an error naming the library.
 */
class FfmCublasTest {
    private static boolean libraryPresent() {
        try {
            SymbolLookup.libraryLookup(FfmCublas.LIBRARY, Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void bindsEverySymbolOrNamesTheMissingLibrary() {
        if (libraryPresent()) {
            assertNotNull(FfmCublas.load());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, FfmCublas::load);
            assertTrue(e.getMessage().contains(FfmCublas.LIBRARY), e.getMessage());
            System.out.println("FFM cuBLAS binding not exercised: " + e.getMessage());
        }
    }
}
