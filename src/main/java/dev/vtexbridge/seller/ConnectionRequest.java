package dev.vtexbridge.seller;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.vtexbridge.connections.Connection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A seller endpoint call as the seller routes see it: at its routed path ({@code /seller/outlet/pvt/orders} reads as
 * {@code /seller/pvt/orders}, in every form Spring MVC and Camel read a path: request URI, URL, servlet path, path
 * info), with header {@value Connection#HTTP_HEADER} naming the connection whose credentials were checked. Whatever
 * the caller sent in a header of that name is not seen.
 */
final class ConnectionRequest extends HttpServletRequestWrapper {

    private final SellerPaths.Target target;
    private final String contextPath;

    ConnectionRequest(HttpServletRequest request, SellerPaths.Target target) {
        super(request);
        this.target = target;
        this.contextPath = request.getContextPath() == null ? "" : request.getContextPath();
    }

    @Override
    public String getRequestURI() {
        String sent = super.getRequestURI();
        return sent.startsWith(contextPath) ? contextPath + target.routed(sent.substring(contextPath.length())) : sent;
    }

    @Override
    public StringBuffer getRequestURL() {
        String url = super.getRequestURL().toString();
        String sentUri = super.getRequestURI();
        String origin = url.endsWith(sentUri) ? url.substring(0, url.length() - sentUri.length()) : url;
        return new StringBuffer(origin).append(getRequestURI());
    }

    @Override
    public String getServletPath() {
        return target.routed(super.getServletPath());
    }

    /** Null under the default servlet mapping ("/"), where the servlet path is the whole path; the whole path under "/*". */
    @Override
    public String getPathInfo() {
        return target.routed(super.getPathInfo());
    }

    @Override
    public String getHeader(String name) {
        return isConnectionHeader(name) ? target.connectionId() : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return isConnectionHeader(name) ? Collections.enumeration(List.of(target.connectionId())) : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> sent = super.getHeaderNames(); sent.hasMoreElements(); ) {
            String name = sent.nextElement();
            if (!isConnectionHeader(name)) {
                names.add(name);
            }
        }
        names.add(Connection.HTTP_HEADER);
        return Collections.enumeration(names);
    }

    private static boolean isConnectionHeader(String name) {
        return Connection.HTTP_HEADER.equalsIgnoreCase(name);
    }
}
