package dev.vtexbridge.ops;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.vtexbridge.web.ApiError;
import dev.vtexbridge.web.Paging;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Ops REST API over the failed-message store: list, inspect, replay (one or a filtered set), discard. */
@RestController
@RequestMapping(OpsApiController.BASE)
public class OpsApiController {

    static final String BASE = "/ops/api";

    private final FailedMessageStore store;
    private final ReplayService replays;
    private final ReplayJobs jobs;
    private final Paging paging;

    OpsApiController(FailedMessageStore store, ReplayService replays, ReplayJobs jobs, Paging paging) {
        this.store = store;
        this.replays = replays;
        this.jobs = jobs;
        this.paging = paging;
    }

    public record Page(List<FailedMessage> items, int page, int size, long total) {
    }

    @GetMapping("/failed")
    public ResponseEntity<?> list(@RequestParam(required = false) String route,
                                  @RequestParam(required = false) FailedMessage.Status status,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime until,
                                  @RequestParam(required = false) String error,
                                  @RequestParam(required = false) String connection,
                                  @RequestParam(required = false) String sort,
                                  @RequestParam(defaultValue = "0") int page,
                                  @RequestParam(defaultValue = "50") int size) {
        paging.check(page, size);
        FailedMessageFilter filter = new FailedMessageFilter(route, status, since, until, error, connection);
        return ResponseEntity.ok(new Page(store.list(filter, sort, page, size), page, size, store.count(filter)));
    }

    @GetMapping("/failed/{id}")
    public ResponseEntity<?> get(@PathVariable long id) {
        return store.find(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> notFound(id));
    }

    @PostMapping("/failed/{id}/replay")
    public ResponseEntity<?> replay(@PathVariable long id, HttpServletRequest request) {
        return switch (replays.replay(id, OpsTokenFilter.actorOf(request))) {
            case DONE -> ResponseEntity.ok(Map.of("id", id, "status", FailedMessage.Status.REPLAYED));
            case NOT_FOUND -> notFound(id);
            case NOT_FAILED -> ApiError.of(HttpStatus.CONFLICT, "not_failed", "failed message " + id + " is not in status FAILED");
            case NOT_REPLAYABLE -> ApiError.of(HttpStatus.CONFLICT, "not_replayable",
                    "failed message " + id + " entered by a synchronous endpoint; its caller has to send it again");
            case SEND_FAILED -> ApiError.of(HttpStatus.BAD_GATEWAY, "replay_failed",
                    "failed message " + id + " could not be sent back to its endpoint; it stays FAILED");
        };
    }

    @PostMapping("/failed/replay")
    public ReplayService.BulkResult replayAll(@RequestParam(required = false) String route,
                                              @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                              @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime until,
                                              @RequestParam(required = false) String error,
                                              @RequestParam(required = false) String connection,
                                              @RequestParam(defaultValue = "false") boolean dryRun,
                                              @RequestParam(defaultValue = "10000") int limit,
                                              HttpServletRequest request) {
        return replays.replayAll(new FailedMessageFilter(route, FailedMessage.Status.FAILED, since, until, error, connection),
                Math.max(0, limit), dryRun, OpsTokenFilter.actorOf(request));
    }

    /** Starts a bulk replay job over the FAILED rows the filters select, replayed at {@code rate} per second. */
    @PostMapping("/replay-jobs")
    public ResponseEntity<?> startJob(@RequestParam(required = false) String route,
                                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime until,
                                      @RequestParam(required = false) String error,
                                      @RequestParam(required = false) String connection,
                                      @RequestParam(required = false) Integer rate,
                                      @RequestParam(defaultValue = "100000") int limit,
                                      HttpServletRequest request) {
        ReplayJobs.Job job = jobs.create(new FailedMessageFilter(route, FailedMessage.Status.FAILED, since, until, error, connection),
                Math.max(0, limit), rate, OpsTokenFilter.actorOf(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(job);
    }

    @GetMapping("/replay-jobs")
    public ResponseEntity<?> jobs(@RequestParam(required = false) String connection,
                                  @RequestParam(required = false) String sort, @RequestParam(defaultValue = "0") int page,
                                  @RequestParam(defaultValue = "20") int size) {
        paging.check(page, size);
        return ResponseEntity.ok(jobs.list(connection, sort, page, size));
    }

    @GetMapping("/replay-jobs/{id}")
    public ResponseEntity<?> job(@PathVariable long id) {
        return jobs.find(id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no replay job with id " + id));
    }

    @PostMapping("/replay-jobs/{id}/cancel")
    public ResponseEntity<?> cancelJob(@PathVariable long id, HttpServletRequest request) {
        if (jobs.find(id).isEmpty()) {
            return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no replay job with id " + id);
        }
        return jobs.cancel(id, OpsTokenFilter.actorOf(request)) ? ResponseEntity.ok(jobs.find(id).orElseThrow())
                : ApiError.of(HttpStatus.CONFLICT, "not_running", "replay job " + id + " is not running");
    }

    public record DiscardRequest(String reason) {
    }

    @PostMapping("/failed/{id}/discard")
    public ResponseEntity<?> discard(@PathVariable long id, @RequestBody(required = false) DiscardRequest body,
                                     HttpServletRequest request) {
        String reason = body == null ? null : body.reason();
        return switch (replays.discard(id, OpsTokenFilter.actorOf(request), reason)) {
            case DONE -> ResponseEntity.ok(Map.of("id", id, "status", FailedMessage.Status.DISCARDED));
            case NOT_FOUND -> notFound(id);
            default -> ApiError.of(HttpStatus.CONFLICT, "not_failed", "failed message " + id + " is not in status FAILED");
        };
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> badParameter(MethodArgumentTypeMismatchException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "bad_parameter",
                "parameter '" + e.getName() + "' has an invalid value: " + e.getValue());
    }

    private static ResponseEntity<?> notFound(long id) {
        return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no failed message with id " + id);
    }
}
