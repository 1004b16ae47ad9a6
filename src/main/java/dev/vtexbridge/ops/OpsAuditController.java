package dev.vtexbridge.ops;

import java.time.OffsetDateTime;
import java.util.List;

import dev.vtexbridge.web.ApiError;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/api/audit}: the operators' audit trail, newest first unless sorted otherwise, paged. */
@RestController
public class OpsAuditController {

    private final OpsAudit audit;
    private final int maxPageSize;

    OpsAuditController(OpsAudit audit, @Value("${bridge.ops.max-page-size}") int maxPageSize) {
        this.audit = audit;
        this.maxPageSize = maxPageSize;
    }

    public record Page(List<OpsAudit.Entry> items, int page, int size, long total) {
    }

    @GetMapping(OpsApiController.BASE + "/audit")
    public ResponseEntity<?> list(@RequestParam(required = false) String action,
                                  @RequestParam(required = false) String actor,
                                  @RequestParam(required = false) String target,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                  @RequestParam(required = false) String sort,
                                  @RequestParam(defaultValue = "0") int page,
                                  @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > maxPageSize) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "bad_paging",
                    "page must be >= 0 and size between 1 and " + maxPageSize);
        }
        return ResponseEntity.ok(new Page(audit.list(action, actor, target, since, sort, page, size), page, size,
                audit.count(action, actor, target, since)));
    }
}
