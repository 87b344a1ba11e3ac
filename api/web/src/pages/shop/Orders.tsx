/** My orders (GET /api/v1/orders), newest first, each opening its tracking page. */
import { Alert, Button, Card, Empty, Flex, Skeleton, Typography } from "antd";
import { useNavigate } from "react-router";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { OrderStatusTag } from "./OrderStatusTag";
import { ToneTag } from "./Tone";

type OrderList = Answer<"/api/v1/orders", "get">;

export default function Orders() {
  const t = useT();
  const navigate = useNavigate();
  const orders = useApi(() => answer<OrderList>(api.GET("/api/v1/orders", { params: { query: { limit: 50 } } })), []);
  if (orders.loading) return <Skeleton active />;
  if (orders.error || !orders.data)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, orders.error)}
        action={<Button onClick={orders.reload}>{t("app.retry")}</Button>}
      />
    );
  const list = [...orders.data.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!list.length) return <Empty description={t("shop.orders.none")} />;
  return (
    <Flex vertical gap={8} data-testid="shop-orders">
      {list.map((o) => (
        <Card key={o.id} size="small" data-testid="shop-order-row" data-order={o.id}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Flex vertical gap={2}>
              <Typography.Text strong>
                <Money fen={o.totalFen} /> {o.urgent && <ToneTag tone="red">{t("shop.order.urgentTag")}</ToneTag>}
              </Typography.Text>
              <Typography.Text type="secondary">
                <DateTime at={o.createdAt} /> · {o.id}
              </Typography.Text>
            </Flex>
            <Flex gap={8} align="center">
              <OrderStatusTag status={o.status} />
              <Button onClick={() => void navigate(`/shop/orders/${o.id}`)}>{t("shop.orders.track")}</Button>
            </Flex>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
