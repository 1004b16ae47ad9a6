package dev.vtexbridge.sandbox;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.web.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Plays VTEX's API gateway in front of the sandbox: refuses calls without valid credentials as VTEX does
 * (401/403, see {@link SandboxCredentials}; without credentials to check, every call is taken) and records every call with the status it got, whoever answered it.
 */
class VtexGatewayFilter extends OncePerRequestFilter {

    private final SandboxCredentials credentials;
    private final CallRecorder recorder;
    private final SandboxCallLog calls;
    private final ObjectMapper json;
    private final int maxBody;

    VtexGatewayFilter(SandboxCredentials credentials, CallRecorder recorder, SandboxCallLog calls, ObjectMapper json,
                      int maxBody) {
        this.credentials = credentials;
        this.recorder = recorder;
        this.calls = calls;
        this.json = json;
        this.maxBody = maxBody;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest httpRequest, HttpServletResponse httpResponse, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingRequestWrapper request = new ContentCachingRequestWrapper(httpRequest, maxBody);
        ContentCachingResponseWrapper response = new ContentCachingResponseWrapper(httpResponse);
        try {
            switch (credentials == null ? SandboxCredentials.Verdict.ACCEPTED : credentials.check(request)) {
                case ACCEPTED -> chain.doFilter(request, response);
                case MISSING -> ApiError.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                        "VTEX needs the headers X-VTEX-API-AppKey and X-VTEX-API-AppToken (or VtexIdclientAutCookie)");
                case WRONG -> ApiError.write(response, json, HttpStatus.FORBIDDEN, "forbidden",
                        "this app key and token are not the ones the marketplace issued (bridge.vtex.app-key/app-token)");
            }
        } finally {
            // Read what no handler read (a refused call, a call without a body parameter), so its body is recorded too.
            request.getInputStream().readAllBytes();
            calls.add(recorder.capture(request, response));
            response.copyBodyToResponse();
        }
    }
}
