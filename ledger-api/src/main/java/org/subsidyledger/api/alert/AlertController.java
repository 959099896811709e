package org.subsidyledger.api.alert;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.projections.alert.AlertReadModel;
import org.subsidyledger.projections.alert.AlertView;

/**
 * {@code GET /alerts?province=&status=OPEN|CLEARED&programId=} (SPEC §5, §6): alerts newest first. A malformed or
 * unknown province, a status other than OPEN or CLEARED, or a malformed program id is {@code 400 VALIDATION_FAILED}.
 * A province officer sees their own province only, as with {@code GET /programs?province=}: naming another province
 * answers {@code 404}, naming none lists their own.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class AlertController {
    private final AlertReadModel alerts;

    public AlertController(AlertReadModel alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/alerts")
    public List<AlertView> alerts(
            @RequestParam(name = "province", required = false) String province,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "programId", required = false) String programId) {
        String code = province == null ? null : Jurisdiction.parse(province).code();
        AlertReadModel.Status wanted = status(status);
        if (programId != null) {
            Text.requireId(programId, "programId");
        }
        return alerts.alerts(ProvinceScope.listedProvince(code), programId, wanted);
    }

    private static AlertReadModel.Status status(String status) {
        if (status == null) {
            return AlertReadModel.Status.ANY;
        }
        return switch (status) {
            case "OPEN" -> AlertReadModel.Status.OPEN;
            case "CLEARED" -> AlertReadModel.Status.CLEARED;
            default ->
                throw new LedgerRejection(
                        RejectionCode.VALIDATION_FAILED, "status '" + Text.shown(status) + "' is not OPEN or CLEARED.");
        };
    }
}
