package dev.vtexbridge.ops;

import java.time.OffsetDateTime;
import java.util.List;

import dev.vtexbridge.web.Paging;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/api/audit}: the operators' audit trail, newest first unless sorted otherwise, paged. */
@RestController
public class OpsAuditController {

    private final OpsAudit audit;
    private final Paging paging;

    OpsAuditController(OpsAudit audit, Paging paging) {
        this.audit = audit;
        this.paging = paging;
    }

    public record Page(List<OpsAudit.Entry> items, int page, int size, long total) {
    }

    @GetMapping(OpsApiController.BASE + "/audit")
    public ResponseEntity<?> list(@RequestParam(required = false) String action,
                                  @RequestParam(required = false) String actor,
                                  @RequestParam(required = false) String target,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                  @RequestParam(required = false) String connection,
                                  @RequestParam(required = false) String sort,
                                  @RequestParam(defaultValue = "0") int page,
                                  @RequestParam(defaultValue = "50") int size) {
        paging.check(page, size);
        OpsAudit.Filter filter = new OpsAudit.Filter(action, actor, target, since, connection);
        return ResponseEntity.ok(new Page(audit.list(filter, sort, page, size), page, size, audit.count(filter)));
    }
}
