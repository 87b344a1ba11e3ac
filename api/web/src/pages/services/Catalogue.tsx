/** 服务目录: the provider's courses (with sessions and seats) and equipment for rent; listing needs the permission. */
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Select, Table } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { StatusTag, type Course, type Equipment, type Session } from "./lib";

const yuanToFen = (v: number) => Math.round(v * 100);

function SessionForm({ course, onDone }: { course: Course; onDone(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const add = async (v: { startsAt: dayjs.Dayjs; hours: number; place: string; seats: number }) => {
    try {
      await answer(
        api.POST("/api/v1/services/courses/{id}/sessions", {
          params: { path: { id: course.id } },
          body: {
            startsAt: v.startsAt.toISOString(),
            endsAt: v.startsAt.add(v.hours, "hour").toISOString(),
            place: v.place,
            seats: v.seats,
          },
        }),
      );
      void message.success(t("services.sessionAdded"));
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Form
      layout="inline"
      name={`session-${course.id}`}
      onFinish={(v) => void add(v)}
      initialValues={{ startsAt: dayjs().add(7, "day").hour(9).minute(0), hours: 8, seats: 20 }}
    >
      <Form.Item name="startsAt" label={t("services.startsAt")} rules={[{ required: true }]}>
        <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item name="hours" label={t("services.hours")} rules={[{ required: true }]}>
        <InputNumber min={1} max={72} />
      </Form.Item>
      <Form.Item name="place" label={t("services.place")} rules={[{ required: true, min: 2 }]}>
        <Input style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="seats" label={t("services.seats")} rules={[{ required: true }]}>
        <InputNumber min={1} max={1000} />
      </Form.Item>
      <Button htmlType="submit">{t("services.addSession")}</Button>
    </Form>
  );
}

function Sessions({ course, onChange }: { course: Course; onChange(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const close = async (s: Session, to: "complete" | "cancel") => {
    try {
      const params = { path: { id: s.id } };
      await answer(
        to === "complete"
          ? api.POST("/api/v1/services/sessions/{id}/complete", { params })
          : api.POST("/api/v1/services/sessions/{id}/cancel", { params }),
      );
      void message.success(t(to === "complete" ? "services.completed" : "services.sessionCancelled"));
      onChange();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex vertical gap={8}>
      <Table<Session>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={course.sessions}
        locale={{ emptyText: t("services.noSessions") }}
        columns={[
          { title: t("services.startsAt"), render: (_, s) => <DateTime at={s.startsAt} /> },
          { title: t("services.place"), dataIndex: "place" },
          { title: t("services.seatsLeft"), render: (_, s) => `${s.seatsLeft} / ${s.seats}` },
          { title: t("services.state"), render: (_, s) => <StatusTag status={s.status} /> },
          {
            title: "",
            render: (_, s) =>
              s.status === "scheduled" ? (
                <Flex gap={4}>
                  <Can perm="service_settlement:create">
                    <Button size="small" type="primary" onClick={() => void close(s, "complete")}>
                      {t("services.complete")}
                    </Button>
                  </Can>
                  <Can perm="service_offering:cancel">
                    <Button size="small" danger onClick={() => void close(s, "cancel")}>
                      {t("services.cancelSession")}
                    </Button>
                  </Can>
                </Flex>
              ) : null,
          },
        ]}
      />
      <Can perm="service_offering:edit">
        <SessionForm course={course} onDone={onChange} />
      </Can>
    </Flex>
  );
}

export default function Catalogue() {
  const t = useT();
  const { message } = App.useApp();
  const [courseForm] = Form.useForm();
  const [equipmentForm] = Form.useForm();
  const courses = useApi(
    () => answer<{ courses: Course[] }>(api.GET("/api/v1/services/courses", { params: { query: { mine: "true" } } })),
    [],
  );
  const equipment = useApi(
    () =>
      answer<{ equipment: Equipment[] }>(
        api.GET("/api/v1/services/equipment", { params: { query: { mine: "true" } } }),
      ),
    [],
  );
  // Every course opens to its sessions; a course the user folds stays folded.
  const [folded, setFolded] = useState<string[]>([]);
  const addCourse = async (v: { title: string; price: number; description?: string }) => {
    try {
      const c = await answer<Course>(
        api.POST("/api/v1/services/courses", {
          body: {
            title: v.title,
            priceFen: yuanToFen(v.price),
            ...(v.description ? { description: v.description } : {}),
          },
        }),
      );
      void message.success(t("services.courseAdded"));
      courseForm.resetFields();
      setFolded((f) => f.filter((x) => x !== c.id));
      courses.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  const addEquipment = async (v: {
    name: string;
    kind: Equipment["kind"];
    billing: Equipment["billing"];
    rate: number;
    deposit: number;
    place: string;
  }) => {
    try {
      await answer(
        api.POST("/api/v1/services/equipment", {
          body: {
            name: v.name,
            kind: v.kind,
            billing: v.billing,
            rateFen: yuanToFen(v.rate),
            depositFen: yuanToFen(v.deposit),
            place: v.place,
          },
        }),
      );
      void message.success(t("services.equipmentAdded"));
      equipmentForm.resetFields();
      equipment.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="services-catalogue">
      <Card size="small" title={t("services.courses")}>
        <Can perm="service_offering:create">
          <Form form={courseForm} name="course" layout="inline" onFinish={(v) => void addCourse(v)}>
            <Form.Item name="title" label={t("services.title")} rules={[{ required: true, min: 2 }]}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="price" label={t("services.pricePerSeat")} rules={[{ required: true }]}>
              <InputNumber min={0.01} precision={2} />
            </Form.Item>
            <Form.Item name="description" label={t("services.description")}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("services.addCourse")}
            </Button>
          </Form>
        </Can>
        {courses.error && <Alert type="error" showIcon title={errorText(t, courses.error)} />}
        <Table<Course>
          rowKey="id"
          size="small"
          loading={courses.loading}
          dataSource={courses.data?.courses ?? []}
          locale={{ emptyText: t("services.noCourses") }}
          expandable={{
            expandedRowKeys: (courses.data?.courses ?? []).map((c) => c.id).filter((id) => !folded.includes(id)),
            onExpand: (expand, c) => setFolded((f) => (expand ? f.filter((x) => x !== c.id) : [...f, c.id])),
            expandedRowRender: (c) => <Sessions course={c} onChange={courses.reload} />,
          }}
          columns={[
            { title: t("services.title"), dataIndex: "title" },
            { title: t("services.pricePerSeat"), render: (_, c) => <Money fen={c.priceFen} /> },
            { title: t("services.sessions"), render: (_, c) => c.sessions.length },
          ]}
        />
      </Card>
      <Card size="small" title={t("services.equipment")}>
        <Can perm="service_offering:create">
          <Form
            form={equipmentForm}
            name="equipment"
            layout="inline"
            onFinish={(v) => void addEquipment(v)}
            initialValues={{ kind: "lift", billing: "time" }}
          >
            <Form.Item name="name" label={t("services.name")} rules={[{ required: true, min: 2 }]}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="kind" label={t("services.kind")}>
              <Select
                style={{ width: 120 }}
                options={(["lift", "diagnostic_tool", "other"] as const).map((k) => ({
                  value: k,
                  label: t(`services.kind.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="billing" label={t("services.billing")}>
              <Select
                style={{ width: 120 }}
                options={(["time", "meter"] as const).map((b) => ({ value: b, label: t(`services.billing.${b}`) }))}
              />
            </Form.Item>
            <Form.Item name="rate" label={t("services.rate")} rules={[{ required: true }]}>
              <InputNumber min={0.01} precision={2} />
            </Form.Item>
            <Form.Item name="deposit" label={t("services.deposit")} rules={[{ required: true }]}>
              <InputNumber min={0} precision={2} />
            </Form.Item>
            <Form.Item name="place" label={t("services.place")} rules={[{ required: true, min: 2 }]}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("services.addEquipment")}
            </Button>
          </Form>
        </Can>
        {equipment.error && <Alert type="error" showIcon title={errorText(t, equipment.error)} />}
        <Table<Equipment>
          rowKey="id"
          size="small"
          loading={equipment.loading}
          dataSource={equipment.data?.equipment ?? []}
          locale={{ emptyText: t("services.noEquipment") }}
          columns={[
            { title: t("services.name"), dataIndex: "name" },
            { title: t("services.kind"), render: (_, q) => t(`services.kind.${q.kind}`) },
            { title: t("services.billing"), render: (_, q) => t(`services.billing.${q.billing}`) },
            { title: t("services.rate"), render: (_, q) => <Money fen={q.rateFen} /> },
            { title: t("services.deposit"), render: (_, q) => <Money fen={q.depositFen} /> },
            { title: t("services.state"), render: (_, q) => <StatusTag status={q.status} /> },
          ]}
        />
      </Card>
    </Flex>
  );
}
