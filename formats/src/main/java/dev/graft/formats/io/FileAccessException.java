package dev.graft.formats.io;

import dev.graft.formats.FormatException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** An operating-system level failure to read or write a file, reworded for the user. */
public final class FileAccessException extends FormatException {

    public FileAccessException(Path file, String action, IOException cause) {
        super(file, action + ": " + describe(cause), cause);
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file or directory";
            case AccessDeniedException _ -> "permission denied";
            case FileAlreadyExistsException _ -> "file already exists";
            case NotDirectoryException _ -> "not a directory";
            // The message repeats the path, which this exception's message already begins with.
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
