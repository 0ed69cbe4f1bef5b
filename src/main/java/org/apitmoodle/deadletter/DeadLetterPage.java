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
            <meta name="csrf-token" content="%TOKEN%">
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
            <p><a id="status-link" href="status">Status page</a></p>
            <p>Replay once the record is fixed in accessplanit: it is read again and sent at the next poll.
            Discard a record that should never be sent, saying why.</p>
            <p id="status" role="status"></p>
            """;

    private static final String SCRIPT = """
            <script>
            // Replay and Discard post to the dead-letter endpoints with the page's token (the server takes no change
            // without it, or without this page's origin); the page then shows what is still open. Plain
            // XMLHttpRequest and callbacks: it runs in any browser, and in the Java browser of the tests.
            function endpoint(id, action) {
              var url = new URL('dead-letters/' + encodeURIComponent(id) + '/' + action, document.baseURI);
              url.username = '';   // a page opened as http://name:password@host/... must not send them in the URL
              url.password = '';
              return url.toString();
            }
            function post(id, action, form) {
              var status = document.getElementById('status');
              status.textContent = '';
              var request = new XMLHttpRequest();
              request.open('POST', endpoint(id, action));
              request.setRequestHeader('X-CSRF-Token',
                  document.querySelector('meta[name="csrf-token"]').getAttribute('content'));
              if (form) {
                request.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
              }
              request.onload = function () {
                if (request.status >= 200 && request.status < 300) {
                  location.reload();
                  return;
                }
                var message = request.statusText;
                try {
                  message = JSON.parse(request.responseText).message;
                } catch (e) {
                  // not JSON: the status text says it
                }
                status.textContent = 'Entry ' + id + ': ' + message;
              };
              request.onerror = function () {
                status.textContent = 'Entry ' + id + ': the server did not answer.';
              };
              request.send(form || null);
            }
            document.querySelectorAll('button.replay').forEach(function (button) {
              button.addEventListener('click', function () {
                post(button.getAttribute('data-id'), 'replay');
              });
            });
            document.querySelectorAll('form.discard').forEach(function (form) {
              form.addEventListener('submit', function (event) {
                event.preventDefault();
                post(form.getAttribute('data-id'), 'discard',
                    'reason=' + encodeURIComponent(form.querySelector('input[name="reason"]').value));
              });
            });
            </script>
            </body>
            </html>
            """;

    private final CrossSiteGuard guard;

    public DeadLetterPage(CrossSiteGuard guard) {
        this.guard = guard;
    }

    /** The page for open entries as {@link DeadLetterQueue#entries} shapes them. */
    public String render(List<Map<String, Object>> entries) {
        StringBuilder page = new StringBuilder(HEAD.replace("%TOKEN%", escape(guard.token())));
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
