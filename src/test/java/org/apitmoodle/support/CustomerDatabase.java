package org.apitmoodle.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer's database as the integration meets it: the accessplanit tables in public with rows, tables of an
 * unrelated application beside them (one with the name of one of ours), no Flyway history anywhere, and a database
 * user with exactly the rights the README gives it. And a snapshot of everything outside the integration's schema,
 * to prove the integration changed nothing there but the columns it writes.
 */
public final class CustomerDatabase {

    /** The accessplanit columns the integration writes (src/main/resources/sql); blanked out in snapshots. */
    public static final Map<String, List<String>> WRITTEN_COLUMNS = Map.of(
            "users", List.of("moodle_id"),
            "courses", List.of("moodle_id"),
            "delegates", List.of("score", "completion_status", "completed_at", "status"));

    private CustomerDatabase() {
    }

    /** Another application's tables in public, with rows: a CRM's contacts and a dead_letter table of its own. */
    public static void addUnrelatedApplication(TestDatabase db) {
        db.update("CREATE TABLE public.crm_contacts (id serial PRIMARY KEY, name text NOT NULL, email text,"
                + " created_at timestamptz NOT NULL DEFAULT now())");
        db.update("INSERT INTO public.crm_contacts (name, email) VALUES ('Acme Ltd', 'info@acme.example'),"
                + " ('Globex', 'sales@globex.example'), ('Initech', NULL)");
        db.update("CREATE TABLE public.dead_letter (id integer PRIMARY KEY, queue text NOT NULL, payload bytea,"
                + " received_at timestamptz NOT NULL)");
        db.update("INSERT INTO public.dead_letter VALUES (1, 'invoices', '\\x0102', '2026-01-05 10:00Z'),"
                + " (2, 'orders', NULL, '2026-02-07 11:30Z')");
    }

    /**
     * Creates {@code role} (dropped first when a run before left it) with the README's grants and nothing else:
     * connect to the database, use public, read the accessplanit tables, update the columns the integration writes.
     * PUBLIC's default rights on the database and on public are revoked, so the role has only what is granted.
     * With a {@code schema} the DBA makes the integration's schema for it ({@code CREATE SCHEMA ... AUTHORIZATION});
     * with null, the role may create schemas in the database ({@code GRANT CREATE ON DATABASE}) and Flyway makes it.
     */
    public static void createIntegrationRole(TestDatabase db, String role, String schema) {
        db.update("DROP ROLE IF EXISTS " + role);
        db.update("CREATE ROLE " + role + " LOGIN");
        db.update("REVOKE ALL ON DATABASE " + db.name() + " FROM PUBLIC");
        db.update("REVOKE ALL ON SCHEMA public FROM PUBLIC");
        // The README's grants ("Your own accessplanit database"), the table names qualified.
        db.update("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role);
        db.update("GRANT USAGE ON SCHEMA public TO " + role);
        db.update("GRANT SELECT ON public.users, public.course_templates, public.courses, public.delegates TO " + role);
        db.update("GRANT UPDATE (moodle_id) ON public.users TO " + role);
        db.update("GRANT UPDATE (moodle_id) ON public.courses TO " + role);
        db.update("GRANT UPDATE (score, completion_status, completed_at, status) ON public.delegates TO " + role);
        if (schema != null) {
            db.update("CREATE SCHEMA " + schema + " AUTHORIZATION " + role);
        } else {
            db.update("GRANT CREATE ON DATABASE " + db.name() + " TO " + role);
        }
    }

    /** Everything outside the integration's schema, with the columns the integration writes blanked out. */
    public record Snapshot(List<String> schemas, List<String> relations, List<String> columns, List<String> constraints,
            Map<String, List<String>> rows) {
    }

    public static Snapshot snapshot(TestDatabase db, String integrationSchema) {
        String outside = " NOT IN ('pg_catalog', 'information_schema', '" + integrationSchema + "')"
                + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
        List<String> schemas = strings(db, "SELECT n.nspname FROM pg_namespace n"
                + " WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1");
        // Tables, indexes, sequences, views ... with their owner and grants.
        List<String> relations = strings(db, "SELECT n.nspname || '.' || c.relname || ' '"
                + " || CAST(c.relkind AS text) || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(CAST(c.relacl AS text), '-')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname" + outside
                + " ORDER BY 1");
        List<String> columns = strings(db, "SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' '"
                + " || format_type(a.atttypid, a.atttypmod) || ' ' || CAST(a.attnotnull AS text) || ' '"
                + " || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') || ' ' || coalesce(CAST(a.attacl AS text), '-')"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname" + outside + " ORDER BY 1");
        List<String> constraints = strings(db, "SELECT n.nspname || '.' || c.relname || ' ' || k.conname || ' '"
                + " || pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname" + outside + " ORDER BY 1");
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : strings(db, "SELECT n.nspname || '.' || c.relname FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname" + outside
                + " ORDER BY 1")) {
            String[] name = table.split("\\.");
            List<String> blanked = "public".equals(name[0])
                    ? WRITTEN_COLUMNS.getOrDefault(name[1], List.of()) : List.of();
            String without = blanked.isEmpty() ? "" : " - ARRAY['" + String.join("', '", blanked) + "']";
            // Every row, every column, as JSON, in a stable order.
            rows.put(table, strings(db, "SELECT CAST(to_jsonb(t)" + without + " AS text) FROM \"" + name[0] + "\".\""
                    + name[1] + "\" t ORDER BY 1"));
        }
        return new Snapshot(schemas, relations, columns, constraints, rows);
    }

    private static List<String> strings(TestDatabase db, String sql) {
        List<String> values = new ArrayList<>();
        for (Map<String, Object> row : db.rows(sql)) {
            values.add((String) row.values().iterator().next());
        }
        return values;
    }
}
