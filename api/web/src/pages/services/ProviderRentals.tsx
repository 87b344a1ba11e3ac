/** 租用与结算: rentals of my equipment — stop, claim damage against the deposit, settle with the commission. */
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Table } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag, usageText, type Rental } from "./lib";

export function StopButton({ rental, onDone }: { rental: Rental; onDone(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const [meter, setMeter] = useState<number | null>(null);
  const [asking, setAsking] = useState(false);
  const stop = async () => {
    try {
      await answer(
        api.POST("/api/v1/services/rentals/{id}/stop", {
          params: { path: { id: rental.id } },
          body: rental.billing === "meter" && meter !== null ? { meterEnd: meter } : {},
        }),
      );
      void message.success(t("services.stopped"));
      setAsking(false);
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <>
      <Button size="small" onClick={() => (rental.billing === "meter" ? setAsking(true) : void stop())}>
        {t("services.stop")}
      </Button>
      <Modal open={asking} title={t("services.meterEnd")} onOk={() => void stop()} onCancel={() => setAsking(false)}>
        <label>
          {t("services.meterEnd")} <InputNumber min={rental.meterStart ?? 0} value={meter} onChange={setMeter} />
        </label>
      </Modal>
    </>
  );
}

function Claim({ rental, onDone }: { rental: Rental; onDone(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const file = async (v: { amount: number; reason: string }) => {
    try {
      await answer(
        api.POST("/api/v1/services/rentals/{id}/claims", {
          params: { path: { id: rental.id } },
          body: { amountFen: Math.round(v.amount * 100), reason: v.reason },
        }),
      );
      void message.success(t("services.claimFiled"));
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Form layout="inline" name={`claim-${rental.id}`} onFinish={(v) => void file(v)}>
      <Form.Item name="amount" label={t("services.claimAmount")} rules={[{ required: true }]}>
        <InputNumber min={0.01} precision={2} max={(rental.claimableFen ?? 0) / 100} />
      </Form.Item>
      <Form.Item name="reason" label={t("services.claimReason")} rules={[{ required: true, min: 2 }]}>
        <Input style={{ width: 200 }} />
      </Form.Item>
      <Button htmlType="submit">{t("services.fileClaim")}</Button>
    </Form>
  );
}

export function RentalDetail({ rental }: { rental: Rental }) {
  const t = useT();
  const s = rental.settlement;
  return (
    <Flex vertical gap={4}>
      {rental.claims.map((c) => (
        <span key={c.id}>
          {t("services.claim")}: <Money fen={c.amountFen} /> · {c.reason}
        </span>
      ))}
      {s && (
        <Flex gap={8} wrap data-testid="rental-settlement">
          <span>{t("services.settlementLine", { rate: (s.commissionRateBp / 100).toFixed(2) })}</span>
          {(
            [
              ["services.gross", s.grossFen],
              ["services.commission", s.commissionFen],
              ["services.net", s.netFen],
              ["services.refund", s.refundFen],
              ["services.due", s.dueFen],
            ] as const
          ).map(([k, fen]) => (
            <span key={k}>
              {t(k)} <Money fen={fen} />
            </span>
          ))}
        </Flex>
      )}
    </Flex>
  );
}

export default function ProviderRentals() {
  const t = useT();
  const { message } = App.useApp();
  const list = useApi(() => answer<{ rentals: Rental[] }>(api.GET("/api/v1/services/rentals")), []);
  const settle = async (r: Rental) => {
    try {
      await answer(api.POST("/api/v1/services/rentals/{id}/settle", { params: { path: { id: r.id } } }));
      void message.success(t("services.settled"));
      list.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="provider-rentals">
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Rental>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.rentals ?? []}
        locale={{ emptyText: t("services.noRentals") }}
        scroll={{ x: true }}
        expandable={{
          rowExpandable: (r) => r.status === "returned" || r.claims.length > 0 || !!r.settlement,
          expandedRowRender: (r) => (
            <Flex vertical gap={8}>
              <RentalDetail rental={r} />
              {r.status === "returned" && (r.claimableFen ?? 0) > 0 && (
                <Can perm="service_settlement:create">
                  <Claim rental={r} onDone={list.reload} />
                </Can>
              )}
            </Flex>
          ),
        }}
        columns={[
          { title: t("services.name"), dataIndex: "equipmentName" },
          { title: t("services.shop"), dataIndex: "shopName" },
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
                  <StopButton rental={r} onDone={list.reload} />
                </Can>
              ) : r.status === "returned" ? (
                <Can perm="service_settlement:create">
                  <Button size="small" type="primary" onClick={() => void settle(r)}>
                    {t("services.settle")}
                  </Button>
                </Can>
              ) : null,
          },
        ]}
      />
    </Flex>
  );
}
