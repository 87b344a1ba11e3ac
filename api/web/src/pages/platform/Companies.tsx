/** Companies and onboarding (platform): list with kind/name filters and paging; register a company and its first admin. */
import { Alert, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import type { CompanyKind } from "../../api/types";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError, useAction } from "../common/kit";

/** A company as GET /api/v1/companies declares it (the server's `CompanySummary` schema). */
type Summary = Answer<"/api/v1/companies", "get">["companies"][number];
interface Registered {
  id: string;
  name: string;
  apiKey: string;
}
interface RegisterForm {
  name: string;
  uscc: string;
  kind: CompanyKind;
  regionCode: string;
  lng: number;
  lat: number;
  adminName?: string;
  adminMobile?: string;
  adminEmail?: string;
  adminPassword?: string;
}
const KINDS: CompanyKind[] = ["manufacturer", "distributor", "repair_shop", "lender", "service_provider"];
const PAGE = 20;

export default function Companies() {
  const t = useT();
  const [filter, setFilter] = useState<{ kind?: CompanyKind; name?: string }>({});
  const [page, setPage] = useState(1);
  const list = useApi(
    () =>
      answer<{ companies: Summary[]; total: number }>(
        api.GET("/api/v1/companies", {
          params: { query: { ...filter, limit: PAGE, offset: (page - 1) * PAGE } },
        }),
      ),
    [JSON.stringify(filter), page],
  );
  const { run, busy } = useAction();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<Registered | null>(null);
  const [form] = Form.useForm<RegisterForm>();
  const kindOptions = KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }));

  const register = async () => {
    const v = await form.validateFields();
    const admin = v.adminName
      ? {
          admin: {
            name: v.adminName,
            password: v.adminPassword,
            ...(v.adminMobile ? { mobile: v.adminMobile } : {}),
            ...(v.adminEmail ? { email: v.adminEmail } : {}),
          },
        }
      : {};
    const body = {
      name: v.name,
      uscc: v.uscc.trim(),
      kind: v.kind,
      regionCode: v.regionCode,
      location: { lng: v.lng, lat: v.lat },
      ...admin,
    };
    const r = await run(
      "register",
      () => answer<Registered>(api.POST("/api/v1/companies", { body } as never)),
      t("companies.registered", { name: v.name }),
      form,
    );
    if (!r) return;
    setOpen(false);
    form.resetFields();
    setDone(r);
    list.reload();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Form
        layout="inline"
        name="company-filter"
        style={{ rowGap: 8 }}
        onFinish={(v: { kind?: CompanyKind; name?: string }) => {
          setPage(1);
          setFilter({ ...(v.kind ? { kind: v.kind } : {}), ...(v.name?.trim() ? { name: v.name.trim() } : {}) });
        }}
      >
        <Form.Item name="kind" label={t("companies.kind")}>
          <Select allowClear options={kindOptions} style={{ minWidth: 140 }} placeholder={t("common.all")} />
        </Form.Item>
        <Form.Item name="name" label={t("companies.name")}>
          <Input allowClear />
        </Form.Item>
        <Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">
              {t("common.search")}
            </Button>
            <Can perm="company:create">
              <Button onClick={() => setOpen(true)} data-testid="company-register">
                {t("companies.register")}
              </Button>
            </Can>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? (
        <LoadError state={list} />
      ) : (
        <Table<Summary>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.companies}
          data-testid="companies-table"
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t("companies.total", { n }),
            onChange: setPage,
          }}
          columns={[
            { title: t("companies.name"), dataIndex: "name" },
            { title: t("companies.kind"), dataIndex: "kind", render: (k: CompanyKind) => t(`kind.${k}`) },
            {
              title: t("company.uscc"),
              dataIndex: "uscc",
              render: (u: string) => <Typography.Text copyable>{u}</Typography.Text>,
            },
            { title: t("companies.region"), dataIndex: "regionCode" },
            { title: t("companies.users"), dataIndex: "users" },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          ]}
        />
      )}
      <Modal
        open={open}
        title={t("companies.register")}
        okText={t("common.create")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "register"}
        onOk={() => void register()}
        onCancel={() => setOpen(false)}
        width={640}
        forceRender
      >
        <Form form={form} layout="vertical" name="company" initialValues={{ kind: "distributor" }}>
          <Form.Item name="name" label={t("companies.name")} rules={[{ required: true, whitespace: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="uscc" label={t("company.uscc")} rules={[{ required: true, len: 18 }]}>
                <Input maxLength={18} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="kind" label={t("companies.kind")} rules={[{ required: true }]}>
                <Select options={kindOptions} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item
                name="regionCode"
                label={t("companies.region")}
                rules={[{ required: true, pattern: /^\d{6}$/ }]}
              >
                <Input inputMode="numeric" maxLength={6} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name="lng" label={t("companies.lng")} rules={[{ required: true }]}>
                <InputNumber min={73} max={136} step={0.0001} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name="lat" label={t("companies.lat")} rules={[{ required: true }]}>
                <InputNumber min={3} max={54} step={0.0001} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>{t("companies.admin")}</Typography.Title>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="adminName" label={t("users.name")}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="adminMobile" label={t("users.mobile")}>
                <Input inputMode="tel" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="adminEmail" label={t("users.email")} rules={[{ type: "email" }]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="adminPassword"
                label={t("users.password")}
                dependencies={["adminName"]}
                rules={[
                  ({ getFieldValue }) => ({
                    required: Boolean(getFieldValue("adminName")),
                    min: 10,
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
      <Modal
        open={done !== null}
        title={t("companies.keyTitle")}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setDone(null)}>
            {t("common.done")}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t("keys.once.body")} style={{ marginBottom: 12 }} />
        <Typography.Paragraph strong>{done?.name}</Typography.Paragraph>
        <Typography.Paragraph
          code
          copyable={{ tooltips: [t("common.copy"), t("common.copied")] }}
          style={{ wordBreak: "break-all" }}
          data-testid="company-key-once"
        >
          {done?.apiKey}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
