package org.apitmoodle.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.htmlunit.BrowserVersion;
import org.htmlunit.DefaultCredentialsProvider;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;

/**
 * An operator's browser for the pages of the operators' server: HtmlUnit, a headless browser written in Java that
 * runs the pages' JavaScript (as Chrome would), so the page tests need nothing outside Maven's reach. It signs in
 * with HTTP Basic like a browser does: it answers the server's challenge with the operator's name and password.
 * A script error fails the test.
 */
public final class OperatorBrowser implements AutoCloseable {

    private final WebClient client = new WebClient(BrowserVersion.CHROME);
    private final String base;

    public OperatorBrowser(int port, String username, String password) {
        this.base = "http://127.0.0.1:" + port;
        client.getOptions().setJavaScriptEnabled(true);
        client.getOptions().setCssEnabled(false);
        client.getOptions().setThrowExceptionOnScriptError(true);
        client.getOptions().setThrowExceptionOnFailingStatusCode(true);
        // A page that refreshes itself must not make the test wait for the refresh.
        client.setRefreshHandler((page, url, seconds) -> { });
        DefaultCredentialsProvider credentials = new DefaultCredentialsProvider();
        credentials.addCredentials(username, password.toCharArray());
        client.setCredentialsProvider(credentials);
    }

    /** Opens the page at this path of the operators' server. */
    public HtmlPage open(String path) {
        try {
            return client.getPage(base + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page the browser shows now (after a script reloaded it, the new one), once its scripts have run. */
    public HtmlPage current() {
        client.waitForBackgroundJavaScript(2_000);
        Page page = client.getCurrentWindow().getEnclosedPage();
        return (HtmlPage) page;
    }

    public WebClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
