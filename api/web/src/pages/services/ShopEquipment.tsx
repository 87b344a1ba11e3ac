/** 设备租用: rent available equipment (deposit held at start), stop it, see the charge, refund and settlement. */
import { Alert, App, Button, Card, Flex, InputNumber, Modal, Table } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag, newKey, usageText, type Equipment, type Rental } from "./lib";
import { RentalDetail, StopButton } from "./ProviderRentals";

function Rent({ equipment, onDone }: { equipment: Equipment; onDone(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const [key] = useState(() => newKey("rent"));
  const [asking, setAsking] = useState(false);
  const [meter, setMeter] = useState<number | null>(null);
  const rent = async () => {
    try {
      await answer(
        api.POST("/api/v1/services/equipment/{id}/rentals", {
          params: { path: { id: equipment.id }, header: { "Idempotency-Key": key } },
          body: equipment.billing === "meter" && meter !== null ? { meterStart: meter } : {},
        }),
      );
      void message.success(t("services.rented"));
      setAsking(false);
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <>
      <Button size="small" type="primary" onClick={() => setAsking(true)}>
        {t("services.rent")}
      </Button>
      <Modal open={asking} title={t("services.confirmRent")} onOk={() => void rent()} onCancel={() => setAsking(false)}>
        <p>
          {equipment.name} · {t("services.deposit")} <Money fen={equipment.depositFen} />
        </p>
        {equipment.billing === "meter" && (
          <label>
            {t("services.meterStart")} <InputNumber min={0} value={meter} onChange={setMeter} />
          </label>
        )}
      </Modal>
    </>
  );
}

export default function ShopEquipment() {
  const t = useT();
  const equipment = useApi(() => answer<{ equipment: Equipment[] }>(api.GET("/api/v1/services/equipment")), []);
  const rentals = useApi(() => answer<{ rentals: Rental[] }>(api.GET("/api/v1/services/rentals")), []);
  const reload = () => {
    equipment.reload();
    rentals.reload();
  };
  return (
    <Flex vertical gap={12} data-testid="shop-equipment">
      {(equipment.error || rentals.error) && (
        <Alert type="error" showIcon title={errorText(t, equipment.error ?? rentals.error)} />
      )}
      <Card size="small" title={t("services.equipment")}>
        <Table<Equipment>
          rowKey="id"
          size="small"
          loading={equipment.loading}
          dataSource={equipment.data?.equipment ?? []}
          locale={{ emptyText: t("services.noEquipment") }}
          scroll={{ x: true }}
          columns={[
            { title: t("services.name"), dataIndex: "name" },
            { title: t("services.provider"), dataIndex: "providerName" },
            { title: t("services.place"), dataIndex: "place" },
            {
              title: t("services.rate"),
              render: (_, q) => (
                <>
                  <Money fen={q.rateFen} /> / {t(`services.per.${q.billing}`)}
                </>
              ),
            },
            { title: t("services.deposit"), render: (_, q) => <Money fen={q.depositFen} /> },
            { title: t("services.state"), render: (_, q) => <StatusTag status={q.status} /> },
            {
              title: "",
              render: (_, q) =>
                q.status === "available" ? (
                  <Can perm="service_booking:create">
                    <Rent equipment={q} onDone={reload} />
                  </Can>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("services.myRentals")}>
        <Table<Rental>
          rowKey="id"
          size="small"
          loading={rentals.loading}
          dataSource={rentals.data?.rentals ?? []}
          locale={{ emptyText: t("services.noRentals") }}
          scroll={{ x: true }}
          expandable={{
            rowExpandable: (r) => r.claims.length > 0 || !!r.settlement,
            expandedRowRender: (r) => <RentalDetail rental={r} />,
          }}
          columns={[
            { title: t("services.name"), dataIndex: "equipmentName" },
            { title: t("services.startedAt"), render: (_, r) => <DateTime at={r.startedAt} /> },
            { title: t("services.usage"), render: (_, r) => usageText(t, r) },
            { title: t("services.deposit"), render: (_, r) => <Money fen={r.depositFen} /> },
            { title: t("services.charge"), render: (_, r) => <Money fen={r.chargeFen} /> },
            { title: t("services.state"), render: (_, r) => <StatusTag status={r.status} /> },
            {
              title: "",
              render: (_, r) =>
                r.status === "active" ? (
                  <Can perm="service_booking:edit">
                    <StopButton rental={r} onDone={reload} />
                  </Can>
                ) : null,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
