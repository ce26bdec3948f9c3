package dev.orcaj.dashboard;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A search's trial store (an SQLite file in the run directory), shown table by table as it is: trials, rungs,
 * promotions, whatever the search writes, so the dashboard needs no change when its columns do. Opened read-only
 * through whichever SQLite JDBC driver is on the class path; without one, the dashboard says so.
 */
final class TrialStoreTables {
    private static final int MAX_ROWS = 1000;

    private TrialStoreTables() {}

    static Map<String, Object> read(Path file) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.getFileName().toString());
        Properties readOnly = new Properties();
        readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: the dashboard never writes
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (r.next()) names.add(r.getString(1));
            }
            List<Map<String, Object>> tables = new ArrayList<>();
            for (String name : names) tables.add(table(s, name));
            out.put("tables", tables);
        } catch (SQLException e) {
            out.put("error", e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
        } catch (LinkageError e) { // sqlite-jdbc's native library cannot load on this platform: the rest of the page still works
            out.put("error", "no usable SQLite driver: " + e);
        }
        return out;
    }

    private static Map<String, Object> table(Statement s, String name) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT * FROM \"" + name.replace("\"", "\"\"") + "\" LIMIT " + (MAX_ROWS + 1))) {
            ResultSetMetaData m = r.getMetaData();
            for (int i = 1; i <= m.getColumnCount(); i++) columns.add(m.getColumnName(i));
            while (r.next() && rows.size() < MAX_ROWS) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = r.getObject(i);
                    row.add(v instanceof Number || v == null ? v : v instanceof byte[] ? "(" + ((byte[]) v).length + " bytes)" : v.toString());
                }
                rows.add(row);
            }
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("columns", columns);
        t.put("rows", rows);
        return t;
    }
}
