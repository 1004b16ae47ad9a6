package dev.vtexbridge.ops;

import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ops/api/routes/reload}: checks every route file, then swaps the running routes (200), or keeps them and
 * answers each file's error (422). Audited as {@code ROUTE_RELOAD}.
 */
@RestController
public class RouteReloadController {

    private final RouteReloadService reloads;
    private final OpsAudit audit;

    RouteReloadController(RouteReloadService reloads, OpsAudit audit) {
        this.reloads = reloads;
        this.audit = audit;
    }

    @PostMapping(OpsApiController.BASE + "/routes/reload")
    public ResponseEntity<RouteReloadService.Result> reload(HttpServletRequest request) {
        RouteReloadService.Result result = reloads.reload();
        String detail = result.reloaded()
                ? result.files().size() + " file(s), " + result.started().size() + " route(s) started"
                : result.error() + result.files().stream().filter(file -> !file.ok())
                        .map(file -> "; " + file.file() + ": " + file.error()).collect(Collectors.joining());
        audit.record(OpsTokenFilter.actorOf(request), "ROUTE_RELOAD", "routes", result.reloaded() ? "RELOADED" : "REFUSED", detail);
        return ResponseEntity.status(result.reloaded() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY).body(result);
    }
}
