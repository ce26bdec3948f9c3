package dev.orcaj.fuzz;

import dev.orcaj.data.DataFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The property every parser fuzz test checks (issue 11): on any input bytes a parser either succeeds or throws the
 * project's input-error exception (one of the types the CLI prints as its one-line, exit-2 error:
 * {@link DataFormatException}, an {@link IllegalArgumentException} such as NpyFormatException / SafetensorsFormatException
 * / OnnxFormatException / HfConfigException, or an I/O exception) whose message names the file, on one line.
 * Anything else (NullPointerException, ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemoryError, StackOverflowError,
 * a message without the file) is a finding. Each call is time-bound ({@code -Dfuzz.callSeconds}, default 10): a parser
 * that loops forever on some input fails instead of hanging the run.
 */
final class ParserProperty {
    private static final long CALL_SECONDS = Long.getLong("fuzz.callSeconds", 10);
    private static final Path DIR;
    private static ExecutorService worker = newWorker();

    static {
        try {
            DIR = Files.createTempDirectory("orcaj-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ParserProperty() {}

    /** Writes {@code data} to a file called {@code name} in this JVM's scratch folder (replacing the last input). */
    static Path file(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scratch sub-folder {@code name} (for readers that take a folder, e.g. UCR). */
    static Path folder(String name) {
        try {
            return Files.createDirectories(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code parse} under the time bound and fails unless it returns or throws a clean input error naming {@code fileName}. */
    static void assertHolds(String fileName, Callable<?> parse) {
        Future<?> result = worker.submit(parse);
        try {
            result.get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is abandoned (daemon), the next input gets a fresh one
            throw new AssertionError("parser of " + fileName + " did not finish within " + CALL_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            Throwable error = e.getCause();
            if (!isCleanInputError(error, fileName)) {
                throw new AssertionError("parser of " + fileName + " failed with " + error.getClass().getName() + ": " + error.getMessage(), error);
            }
        }
    }

    static boolean isCleanInputError(Throwable error, String fileName) {
        boolean inputErrorType = error instanceof DataFormatException || error instanceof IllegalArgumentException
                || error instanceof IOException || error instanceof UncheckedIOException;
        String message = error.getMessage();
        return inputErrorType && message != null && message.contains(fileName) && !message.contains("\n");
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-parser");
            t.setDaemon(true);
            return t;
        });
    }
}
