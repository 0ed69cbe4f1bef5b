package org.apitmoodle.deadletter;

import java.util.List;
import java.util.Map;

/**
 * The operators' page: the open dead-letter entries, each with a Replay button and a Discard button with a reason.
 * The buttons call the same HTTP endpoints as curl does, from this page's own address (relative links, so the page
 * works under camel.server.path too). Every value is escaped: error messages carry what users typed.
 */
public final class DeadLetterPage {

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Dead-letter queue</title>
            <style>
              body { font-family: sans-serif; margin: 1.5em; }
              table { border-collapse: collapse; }
              th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
              td.message { max-width: 40em; white-space: pre-wrap; overflow-wrap: anywhere; }
              #status { font-weight: bold; }
            </style>
            </head>
            <body>
            <h1>Dead-letter queue: open entries</h1>
            <p>Replay once the record is fixed in accessplanit: it is read again and sent at the next poll.
            Discard a record that should never be sent, saying why.</p>
            <p id="status" role="status"></p>
            """;

    private static final String SCRIPT = """
            <script>
            // Replay and Discard post to the dead-letter endpoints; the page then shows what is still open.
            function endpoint(id, action) {
              const url = new URL('dead-letters/' + encodeURIComponent(id) + '/' + action, document.baseURI);
              url.username = '';   // a page opened as http://name:password@host/... must not send them in the URL
              url.password = '';
              return url;
            }
            async function post(id, action, body) {
              const status = document.getElementById('status');
              status.textContent = '';
              try {
                const response = await fetch(endpoint(id, action), { method: 'POST', body: body, credentials: 'same-origin' });
                if (response.ok) {
                  location.reload();
                  return;
                }
                const problem = await response.json().catch(() => ({ message: response.statusText }));
                status.textContent = 'Entry ' + id + ': ' + problem.message;
              } catch (e) {
                status.textContent = 'Entry ' + id + ': ' + e;
              }
            }
            document.querySelectorAll('button.replay').forEach(button =>
              button.addEventListener('click', () => post(button.dataset.id, 'replay')));
            document.querySelectorAll('form.discard').forEach(form =>
              form.addEventListener('submit', event => {
                event.preventDefault();
                post(form.dataset.id, 'discard', new URLSearchParams(new FormData(form)));
              }));
            </script>
            </body>
            </html>
            """;

    /** The page for open entries as {@link DeadLetterQueue#entries} shapes them. */
    public String render(List<Map<String, Object>> entries) {
        StringBuilder page = new StringBuilder(HEAD);
        if (entries.isEmpty()) {
            page.append("<p id=\"empty\">No open entries: everything that failed has been replayed or discarded.</p>\n");
        } else {
            page.append("""
                    <table id="entries">
                    <thead><tr><th>Entry</th><th>Record</th><th>Error</th><th>Message</th><th>Attempts</th>
                    <th>First failure</th><th>Last failure</th><th>Action</th></tr></thead>
                    <tbody>
                    """);
            entries.forEach(entry -> row(page, entry));
            page.append("</tbody>\n</table>\n");
        }
        return page.append(SCRIPT).toString();
    }

    private static void row(StringBuilder page, Map<String, Object> entry) {
        String id = escape(entry.get("id"));
        page.append("<tr id=\"dead-letter-").append(id).append("\" data-id=\"").append(id).append("\">")
                .append("<td>").append(id).append("</td>")
                .append("<td class=\"record\">").append(escape(entry.get("entityType"))).append(' ')
                .append(escape(entry.get("entityId"))).append("</td>")
                .append("<td class=\"error-code\">").append(escape(entry.get("errorCode"))).append("</td>")
                .append("<td class=\"message\">").append(escape(entry.get("errorMessage"))).append("</td>")
                .append("<td class=\"attempts\">").append(escape(entry.get("attempts"))).append("</td>")
                .append("<td>").append(escape(entry.get("firstFailedAt"))).append("</td>")
                .append("<td>").append(escape(entry.get("lastFailedAt"))).append("</td>")
                .append("<td><button type=\"button\" class=\"replay\" data-id=\"").append(id).append("\">Replay</button>")
                .append(" <form class=\"discard\" data-id=\"").append(id).append("\">")
                .append("<input name=\"reason\" required maxlength=\"").append(DeadLetterQueue.MAX_REASON_LENGTH)
                .append("\" placeholder=\"Reason for discarding\" aria-label=\"Reason for discarding entry ")
                .append(id).append("\"> <button type=\"submit\" class=\"discard\">Discard</button></form></td>")
                .append("</tr>\n");
    }

    /** The value as HTML text, safe in element content and in quoted attributes. */
    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
